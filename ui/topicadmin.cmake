# topicadmin area: topic administration dialogs, the config editor and the broker configs pane.
target_sources(partita_ui PRIVATE
  configeditor.cpp configeditor.h
  topicconfigdialog.cpp topicconfigdialog.h
  brokerconfigspanel.cpp brokerconfigspanel.h
  createtopicdialog.cpp createtopicdialog.h
  addpartitionsdialog.cpp addpartitionsdialog.h
  deletetopicdialog.cpp deletetopicdialog.h
)
