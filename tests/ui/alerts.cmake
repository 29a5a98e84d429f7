# issue 11 fragment: widget tests of the alert dashboard, rule editor, notification settings and tray.
find_package(Qt6 REQUIRED COMPONENTS Widgets Test)

partita_add_test(alertdashboard_test SOURCES alertdashboard_test.cpp
  LIBS partita_ui Qt6::Widgets)
target_compile_definitions(alertdashboard_test PRIVATE PARTITA_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
set_tests_properties(alertdashboard_test PROPERTIES TIMEOUT 120)
