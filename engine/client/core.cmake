# Connections, pool, metadata and routing.
set(PARTITA_CLIENT_CORE_SOURCES
  brokerconnection.cpp
  clientconfig.cpp
  clustermetadata.cpp
  connectionprobe.cpp
  kafkaclient.cpp
)
