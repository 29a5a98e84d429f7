# issue 10 fragment: the message export (JSON Lines / CSV), added by its owner.
target_sources(partita_models PRIVATE messageexporter.h messageexporter.cpp)
