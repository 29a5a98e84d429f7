# issue 11 fragment: chart_bench, a 7-day per-minute metric chart (3 series of 10,080 samples in a
# MetricHistory) from range change to drawn; median of 5 (goal < 100 ms).
add_executable(chart_bench chart_bench.cpp)
target_link_libraries(chart_bench PRIVATE partita_models partita_ui)
# Qt6::Widgets and Qt6::Charts come with partita_ui.
