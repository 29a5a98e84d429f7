# issue 11 fragment: files added by its owner.
# Metric charts (Qt Charts): the chart view, the Metrics panel and the sparkline delegate.
find_package(Qt6 REQUIRED COMPONENTS Charts)
target_sources(partita_ui PRIVATE
  metricchartview.cpp metricchartview.h
  metricspanel.cpp metricspanel.h
  sparklinedelegate.cpp sparklinedelegate.h
  chartbelow.cpp chartbelow.h
)
target_link_libraries(partita_ui PUBLIC Qt6::Charts)
