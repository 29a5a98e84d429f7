# issue 10 fragment: files added by its owner.
# produce area tests (issue 10): the producer dialog against a real partitad.
find_package(Qt6 REQUIRED COMPONENTS Widgets Test)

partita_add_test(producerdialog_test SOURCES producerdialog_test.cpp
  LIBS partita_ui partitad_test_process client_test_util Qt6::Widgets)
target_compile_definitions(producerdialog_test PRIVATE PARTITA_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
add_dependencies(producerdialog_test partitad)
set_tests_properties(producerdialog_test PROPERTIES TIMEOUT 300)
