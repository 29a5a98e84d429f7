// icons: the app's own SVG icons (resources/icons/*.svg, embedded through resources/icons.qrc).
#pragma once

#include <QIcon>
#include <QString>
#include <QStringList>

namespace partita::ui {

// Registers the embedded icon resources (resources/icons.qrc). partita_ui is a static library, so its
// resources are only linked in when something references them; icon() calls this itself, and it
// is cheap to call again. Call it once early in main() anyway.
void initResources();

// The icon ":/icons/<name>.svg" (e.g. "topic", "refresh", "warning"); a null QIcon for an unknown
// name. SVG icons scale sharply to any size and device pixel ratio.
QIcon icon(const QString& name);

// Every icon name there is, for tests and the icon sheet.
QStringList iconNames();

}  // namespace partita::ui
