# app scale benchmark: files added by its owner.
# app_scale_bench: the desktop app's models and panels against 10,000 topics and 2,000 groups
# (tests/bench/app_scale_bench.sh starts the partitad and runs it).
add_executable(app_scale_bench app_scale_bench.cpp)
target_link_libraries(app_scale_bench PRIVATE partita_models partita_ui client_test_util)
# Qt6::Widgets comes with partita_ui (imported in ui/, not in this directory).
