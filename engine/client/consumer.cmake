# consumer sources (engine/client).
set(PARTITA_CLIENT_CONSUMER_SOURCES
)
