# groups sources (engine/client).
set(PARTITA_CLIENT_GROUPS_SOURCES
)
