# localcluster area: files added by its owner.
target_sources(partita_ui PRIVATE localclusterpanel.cpp localclusterpanel.h clusterworkspace.cpp clusterworkspace.h)
