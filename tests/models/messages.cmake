# messages area tests (issue 10): files added by its owner.
partita_add_test(messagemodel_test SOURCES messagemodel_test.cpp
  LIBS partita_models client_test_util partitad_test_process)
add_dependencies(messagemodel_test partitad)
set_tests_properties(messagemodel_test PROPERTIES TIMEOUT 300)
