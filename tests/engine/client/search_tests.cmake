# Message search tests of engine/client: the filter expression (pure) and the TopicScanner against
# partitad.
partita_client_test(recordfilter_test SOURCES recordfilter_test.cpp)
partita_client_test(topicscanner_test SOURCES topicscanner_test.cpp)
