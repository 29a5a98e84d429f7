# connection area: saved cluster profiles, their secrets in the system keychain, and the
# step-by-step connection test behind the connection dialog.
find_package(Qt6Keychain REQUIRED)
target_sources(partita_models PRIVATE
  connectionprofile.cpp connectionprofile.h
  connectionstore.cpp connectionstore.h
  connectiontest.cpp connectiontest.h
)
target_link_libraries(partita_models PRIVATE Qt6Keychain::Qt6Keychain)
