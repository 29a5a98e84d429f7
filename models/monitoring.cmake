# issue 11 fragment: files added by its owner.
find_package(Qt6 REQUIRED COMPONENTS Sql Network)
target_link_libraries(partita_models PUBLIC Qt6::Sql Qt6::Network PRIVATE partita_metrics)
target_sources(partita_models PRIVATE
    metricnames.cpp
    metricstore.cpp
    metrichistory.cpp
    metriccollector.cpp
)
