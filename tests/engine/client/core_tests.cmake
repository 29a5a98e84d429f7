# Core tests of engine/client: connections, routing, metadata, faults.
partita_client_test(client_kafkaclient_test SOURCES kafkaclient_test.cpp)
