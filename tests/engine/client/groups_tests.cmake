# Consumer group tests of engine/client: assignors and the consumer protocol's bytes (pure), the
# group consumer against partitad (with kcat and kafka-python beside it) and the mock cluster.
partita_client_test(assignor_test SOURCES assignor_test.cpp)
partita_client_test(groupprotocol_test SOURCES groupprotocol_test.cpp)
partita_client_test(groupconfig_test SOURCES groupconfig_test.cpp)
partita_client_test(group_mock_test SOURCES group_mock_test.cpp)
partita_client_test(group_partitad_test SOURCES group_partitad_test.cpp)
