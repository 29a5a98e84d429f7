# issue 11: the monitoring hub that wires collectors, lag status, history, alerts and notifications.
target_sources(partita_models PRIVATE
  monitoringhub.cpp monitoringhub.h
)
