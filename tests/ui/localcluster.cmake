# localcluster area: files added by its owner.
# The main window's screenshot drawn by a real X server (Xvfb through xvfb-run), not only offscreen.
add_test(NAME mainwindow_xvfb_screenshot
  COMMAND xvfb-run -a -s "-screen 0 1600x1000x24" $<TARGET_FILE:mainwindow_test> screenshotWithSampleData)
set_tests_properties(mainwindow_xvfb_screenshot PROPERTIES TIMEOUT 300
  ENVIRONMENT "QT_QPA_PLATFORM=xcb;PARTITA_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
