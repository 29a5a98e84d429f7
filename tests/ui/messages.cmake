# messages area tests (issue 10): files added by its owner.
find_package(Qt6 REQUIRED COMPONENTS Widgets Test)

partita_add_test(messagebrowser_test SOURCES messagebrowser_test.cpp
  LIBS partita_ui partitad_test_process client_test_util Qt6::Widgets)
target_compile_definitions(messagebrowser_test PRIVATE PARTITA_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
add_dependencies(messagebrowser_test partitad)
set_tests_properties(messagebrowser_test PROPERTIES TIMEOUT 300)
