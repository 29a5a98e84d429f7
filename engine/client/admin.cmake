# admin sources (engine/client).
set(PARTITA_CLIENT_ADMIN_SOURCES
)
