# issue 10 fragment: MessageModel over topics written by kcat and confluent-kafka-python.
partita_add_test(messagemodel_peers_test SOURCES messagemodel_peers_test.cpp
  LIBS partita_models client_test_util partitad_test_process)
# The helper script is run from the source tree, where `make test` finds it.
target_compile_definitions(messagemodel_peers_test PRIVATE
  PARTITA_PEER_TXN_PRODUCER="${CMAKE_CURRENT_SOURCE_DIR}/peer_txn_producer.py")
add_dependencies(messagemodel_peers_test partitad)
set_tests_properties(messagemodel_peers_test PROPERTIES TIMEOUT 300)
