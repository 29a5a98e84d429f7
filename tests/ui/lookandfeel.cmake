# lookandfeel area: icons, themes, the quick switcher and translations (offscreen, with screenshots).
partita_add_test(lookandfeel_test SOURCES lookandfeel_test.cpp LIBS partita_ui Qt6::Widgets)
target_compile_definitions(lookandfeel_test PRIVATE PARTITA_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
