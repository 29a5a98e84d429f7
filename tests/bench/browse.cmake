# issue 10 fragment: browse_bench, the message browser panel on a 1 M-message topic (first rows,
# scrolling, memory while paging / searching / exporting); tests/bench/browse_bench.sh runs it.
add_executable(browse_bench browse_bench.cpp)
target_link_libraries(browse_bench PRIVATE partita_models partita_ui client_test_util)
