# issue 11: the monitoring end to end with real processes (partitad, kcat, a loopback webhook).
partita_add_test(monitoringhub_test SOURCES monitoringhub_test.cpp loopbackhttpreceiver.h
  LIBS partita_models client_test_util partitad_test_process Qt6::Network)
add_dependencies(monitoringhub_test partitad)
set_tests_properties(monitoringhub_test PROPERTIES TIMEOUT 300 LABELS peers)
