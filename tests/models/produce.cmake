# issue 10 producer tests: files added by their owner.
partita_add_test(valuegenerator_test SOURCES valuegenerator_test.cpp LIBS partita_models)
partita_add_test(messageproducer_test SOURCES messageproducer_test.cpp
  LIBS partita_models client_test_util partitad_test_process)
add_dependencies(messageproducer_test partitad)
set_tests_properties(messageproducer_test PROPERTIES TIMEOUT 300)
