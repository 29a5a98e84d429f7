# records_bench: RecordBatch v2 encode/decode per codec beside the codec libraries' own speed on
# the same bytes, and CRC-32C hardware vs portable. Included from tests/bench/CMakeLists.txt.
if(NOT TARGET benchmark::benchmark)
  find_package(benchmark REQUIRED)
endif()
# The benchmark calls zlib, snappy, liblz4 and libzstd directly for the side-by-side figures.
pkg_check_modules(PARTITA_RECORDS_BENCH_CODECS REQUIRED IMPORTED_TARGET zlib snappy liblz4 libzstd)
add_executable(records_bench ${CMAKE_CURRENT_LIST_DIR}/records_bench.cpp)
target_link_libraries(records_bench PRIVATE partita_protocol benchmark::benchmark
  PkgConfig::PARTITA_RECORDS_BENCH_CODECS)
