# Browsing consumer tests of engine/client: lazy decoding of fetched batches (pure), and the
# Consumer against partitad (with kcat and confluent-kafka-python producing) and the mock cluster.
partita_client_test(consumer_fetchedrecords_test SOURCES consumer_fetchedrecords_test.cpp)
partita_client_test(consumer_partitad_test SOURCES consumer_partitad_test.cpp)
partita_client_test(consumer_mock_test SOURCES consumer_mock_test.cpp)
