# configs area: ConfigModel against a real partitad.
partita_add_test(configmodel_test SOURCES configmodel_test.cpp
  LIBS partita_models client_test_util partitad_test_process)
add_dependencies(configmodel_test partitad)
set_tests_properties(configmodel_test PROPERTIES TIMEOUT 300)
