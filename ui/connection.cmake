# connection area: the dialog that adds or edits a saved cluster.
target_sources(partita_ui PRIVATE connectiondialog.cpp connectiondialog.h)
