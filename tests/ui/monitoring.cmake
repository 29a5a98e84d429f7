# issue 11 fragment: files added by its owner.
# Metric charts: MetricChartView / MetricsPanel / SparklineDelegate on a MetricHistory in a temp dir
# (no partitad), and the lag chart screenshot.
find_package(Qt6 REQUIRED COMPONENTS Widgets Test Charts)

partita_add_test(metricchart_test SOURCES metricchart_test.cpp
  LIBS partita_ui Qt6::Widgets Qt6::Charts)
target_compile_definitions(metricchart_test PRIVATE PARTITA_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
set_tests_properties(metricchart_test PROPERTIES TIMEOUT 300)
