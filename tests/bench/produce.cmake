# issue 10 fragment: bulk_produce_bench, MessageProducer::sendBulk throughput;
# tests/bench/bulk_produce_bench.sh runs it beside librdkafka's perf.
add_executable(bulk_produce_bench bulk_produce_bench.cpp)
target_link_libraries(bulk_produce_bench PRIVATE partita_models client_test_util)
