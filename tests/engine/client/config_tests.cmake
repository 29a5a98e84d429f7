# config tests of engine/client: ClientConfig parsing, and TLS end to end through a socat proxy.
partita_client_test(client_config_test SOURCES clientconfig_test.cpp)
partita_client_test(client_tls_test SOURCES tls_test.cpp LIBS security_test_certificates)
