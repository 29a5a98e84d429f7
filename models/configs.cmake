# configs area: files added by its owner (topic and broker configs, topic operations).
target_sources(partita_models PRIVATE
  configmodel.cpp configmodel.h
  topicoperations.cpp topicoperations.h
)
