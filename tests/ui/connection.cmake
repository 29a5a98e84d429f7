# connection area: the cluster connection dialog against a real partitad.
find_package(Qt6 REQUIRED COMPONENTS Network)
partita_add_test(connectiondialog_test SOURCES connectiondialog_test.cpp
  LIBS partita_ui partitad_test_process client_test_util Qt6::Widgets Qt6::Network)
target_compile_definitions(connectiondialog_test PRIVATE PARTITA_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
add_dependencies(connectiondialog_test partitad)
set_tests_properties(connectiondialog_test PROPERTIES TIMEOUT 300)
