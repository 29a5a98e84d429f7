# issue 10 fragment: the message export (JSON Lines / CSV) over a real partitad.
partita_add_test(messageexporter_test SOURCES messageexporter_test.cpp
  LIBS partita_models client_test_util partitad_test_process)
add_dependencies(messageexporter_test partitad)
set_tests_properties(messageexporter_test PROPERTIES TIMEOUT 300)
