# issue 11 fragment: lag status, alert rules, the alert engine and its notifier (webhooks need Qt Network).
find_package(Qt6 REQUIRED COMPONENTS Network)
target_link_libraries(partita_models PUBLIC Qt6::Network)
target_sources(partita_models PRIVATE
  lagstatus.cpp lagstatus.h
  alertrule.cpp alertrule.h
  alertengine.cpp alertengine.h
  alertnotifier.cpp alertnotifier.h
)
