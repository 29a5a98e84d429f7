# messages area (issue 10): files added by its owner.
target_sources(partita_ui PRIVATE
  messagebrowserpanel.cpp messagebrowserpanel.h
  messagesearchbar.cpp messagesearchbar.h
  messageexportrunner.cpp messageexportrunner.h
  utctoggle.cpp utctoggle.h
)
