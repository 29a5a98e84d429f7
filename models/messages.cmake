# messages area (issue 10): files added by its owner.
target_sources(partita_models PRIVATE
  messagemodel.cpp messagemodel.h messagemodelsearch.cpp
)
