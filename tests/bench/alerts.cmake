# issue 11 fragment (alerts): alert_eval_bench, AlertEngine::evaluate() for 1,000 rules over 10,000 series.
add_executable(alert_eval_bench alert_eval_bench.cpp)
target_link_libraries(alert_eval_bench PRIVATE partita_models)
