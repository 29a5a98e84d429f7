# Message search (engine/client): the filter expression (RE2, simdjson) and the topic scanner
# with its worker pool. Included after partita_client is defined, so it adds to the target.
find_package(simdjson REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PARTITA_CLIENT_RE2 REQUIRED IMPORTED_TARGET re2)

target_sources(partita_client PRIVATE
  recordfilter.cpp
  scanworkerpool.cpp
  topicscanner.cpp
)
target_link_libraries(partita_client PRIVATE simdjson::simdjson PkgConfig::PARTITA_CLIENT_RE2)
