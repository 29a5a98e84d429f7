# Consumer groups (engine/client): the assignors, the consumer protocol's bytes, the membership
# state machine, committed offsets and the GroupConsumer.
set(PARTITA_CLIENT_GROUPS_SOURCES
  assignor.cpp
  cooperativestickyassignor.cpp
  groupconsumer.cpp
  groupmembership.cpp
  groupoffsets.cpp
  groupprotocol.cpp
  rangeassignor.cpp
  roundrobinassignor.cpp
)
