# topicadmin area: the topic administration dialogs and panels on a real partitad.
partita_add_test(topicadmin_test SOURCES topicadmin_test.cpp
  LIBS partita_ui partitad_test_process client_test_util Qt6::Widgets)
target_compile_definitions(topicadmin_test PRIVATE PARTITA_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
add_dependencies(topicadmin_test partitad)
set_tests_properties(topicadmin_test PROPERTIES TIMEOUT 300)
