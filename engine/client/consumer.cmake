# The browsing consumer (engine/client): assign, seek, poll; fetched batches decoded lazily.
set(PARTITA_CLIENT_CONSUMER_SOURCES
  consumer.cpp
  consumerconfig.cpp
  consumercore.cpp
  consumeroffsetresolver.cpp
  fetchedrecords.cpp
)
