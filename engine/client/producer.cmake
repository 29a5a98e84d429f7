# producer sources (engine/client).
set(PARTITA_CLIENT_PRODUCER_SOURCES
  partitioner.cpp
  producer.cpp
  producerbatch.cpp
  producerconfig.cpp
  produceridempotence.cpp
  producersender.cpp
  recordaccumulator.cpp
)
