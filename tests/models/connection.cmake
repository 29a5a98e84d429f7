# connection area: saved profiles, their secrets, .properties import and validation.
partita_add_test(connectionprofile_test SOURCES connectionprofile_test.cpp LIBS partita_models)
partita_add_test(connectionstore_test SOURCES connectionstore_test.cpp LIBS partita_models)
