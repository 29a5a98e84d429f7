# issue 11 fragment: files added by its owner.
partita_add_test(metricstore_test SOURCES metricstore_test.cpp LIBS partita_models)

partita_add_test(metriccollector_test SOURCES metriccollector_test.cpp loopbackhttpreceiver.h
  LIBS partita_models client_test_util partitad_test_process)
add_dependencies(metriccollector_test partitad)
set_tests_properties(metriccollector_test PROPERTIES TIMEOUT 300)
