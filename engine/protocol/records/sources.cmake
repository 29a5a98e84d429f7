# The record-format sources of partita_protocol (paths relative to engine/protocol) and what they link.
set(PARTITA_RECORDS_SOURCES
  records/crc32c.cpp
  records/compression.cpp
  records/compressiongzip.cpp
  records/compressionsnappy.cpp
  records/compressionlz4.cpp
  records/compressionzstd.cpp
  records/record.cpp
  records/recordreader.cpp
  records/recordbatch.cpp
  records/recordbatchbuilder.cpp
  records/controlrecord.cpp
  records/recordset.cpp
  records/legacymessageset.cpp
  records/recordconverter.cpp
)

# pkg-config names. All five ship a .pc file on Debian 12 (snappy 1.1.9 included, checked
# with `pkg-config --exists`), so no find_library() fallback is needed.
set(PARTITA_RECORDS_PKGS zlib snappy liblz4 libxxhash libzstd)
set(PARTITA_RECORDS_EXTRA_LIBS)
