# admin sources (engine/client): Admin split by area, its result types and shared helpers.
set(PARTITA_CLIENT_ADMIN_SOURCES
  admin.cpp
  adminacls.cpp
  admincluster.cpp
  adminconfigs.cpp
  admingrouplag.cpp
  admingroupoffsets.cpp
  admingroups.cpp
  adminnames.cpp
  adminoffsets.cpp
  adminreplicas.cpp
  adminscram.cpp
  adminsupport.cpp
  admintopics.cpp
)
