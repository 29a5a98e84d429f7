# lookandfeel area: icons (resources/icons), themes, the quick switcher and translations of partita_ui.
find_package(Qt6 REQUIRED COMPONENTS LinguistTools)

target_sources(partita_ui PRIVATE
  ../resources/icons.qrc
  icons.cpp icons.h
  theme.cpp theme.h
  quickswitcher.cpp quickswitcher.h
  translations.cpp translations.h
)

# Translations: lupdate scans every source of the desktop app (ui/, models/, app/partita,
# app/localcluster; the CLI and partitad are not translated) so one .ts per language holds all
# user-visible strings; lrelease's .qm files are embedded under ":/i18n".
# Refresh the .ts files with the `update_translations` (or `partita_ui_lupdate`) target. The glob
# is re-evaluated on each build (CONFIGURE_DEPENDS), so new sources are picked up.
file(GLOB_RECURSE partita_translatable_sources CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/ui/*.cpp ${CMAKE_SOURCE_DIR}/ui/*.h
  ${CMAKE_SOURCE_DIR}/models/*.cpp ${CMAKE_SOURCE_DIR}/models/*.h
  ${CMAKE_SOURCE_DIR}/app/partita/*.cpp ${CMAKE_SOURCE_DIR}/app/partita/*.h
  ${CMAKE_SOURCE_DIR}/app/localcluster/*.cpp ${CMAKE_SOURCE_DIR}/app/localcluster/*.h)
qt_add_translations(partita_ui
  TS_FILES ${CMAKE_SOURCE_DIR}/translations/partita_de.ts
  SOURCES ${partita_translatable_sources}
  INCLUDE_DIRECTORIES ${CMAKE_SOURCE_DIR}
  RESOURCE_PREFIX "/i18n"
  LUPDATE_OPTIONS -no-obsolete -locations none)
target_sources(partita_ui PRIVATE healthrowdelegate.cpp healthrowdelegate.h)
