# issue 10 fragment: files added by its owner.
target_sources(partita_models PRIVATE
  messagetemplate.cpp messagetemplate.h
  valuegenerator.cpp valuegenerator.h
  messageproducer.cpp messageproducer.h
)
