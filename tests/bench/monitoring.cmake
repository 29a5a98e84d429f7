# issue 11 fragment: files added by its owner.
# sampling_bench: metric sampling (MetricCollector + MetricHistory) against 10,000 partitions and
# 2,000 groups (tests/bench/sampling_bench.sh sets the cluster up and runs it).
add_executable(sampling_bench sampling_bench.cpp)
target_link_libraries(sampling_bench PRIVATE partita_models client_test_util)
