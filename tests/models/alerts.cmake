# issue 11 fragment: lag status, alert engine and notifier tests (synthetic frames; loopback HTTP receiver).
find_package(Qt6 REQUIRED COMPONENTS Network)  # the receiver in alertnotifier_test
partita_add_test(lagstatus_test SOURCES lagstatus_test.cpp LIBS partita_models)
partita_add_test(alertengine_test SOURCES alertengine_test.cpp LIBS partita_models)
partita_add_test(alertnotifier_test SOURCES alertnotifier_test.cpp loopbackhttpreceiver.h LIBS partita_models Qt6::Network)
set_tests_properties(alertnotifier_test PROPERTIES TIMEOUT 120)
