# producer sources (engine/client).
set(PARTITA_CLIENT_PRODUCER_SOURCES
)
