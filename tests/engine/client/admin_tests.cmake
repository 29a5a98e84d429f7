# Admin tests of engine/client: against partitad (topics and configs, offsets, groups) and against
# librdkafka's mock cluster for the subset it serves.
partita_client_test(admin_topics_test SOURCES admin_topics_test.cpp)
partita_client_test(admin_offsets_test SOURCES admin_offsets_test.cpp)
partita_client_test(admin_mock_test SOURCES admin_mock_test.cpp)
partita_client_test(admin_groups_test SOURCES admin_groups_test.cpp)
