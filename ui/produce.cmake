# issue 10 fragment: files added by its owner.
# produce area (issue 10): the producer dialog and its headers table.
target_sources(partita_ui PRIVATE
  producerdialog.cpp producerdialog.h
  headerseditor.cpp headerseditor.h
  produceresultstable.cpp produceresultstable.h
)
