// theme: the app's light and dark looks (Fusion style with hand-tuned palettes), following the
// system's choice by default, persisted under the QSettings key "ui/theme"; and the tint colours
// panels use to highlight rows (under-replicated, offline) readably in either look.
#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

class QApplication;

namespace partita::ui {

enum class Theme { System, Light, Dark };

// Applies the Fusion style and the light or dark palette (System picks one through
// systemPrefersDark()). Safe to call again at runtime to switch; widgets get a PaletteChange event.
void applyTheme(QApplication& app, Theme theme);

// The theme saved under "ui/theme" ("system", "light", "dark"); System when unset or unknown.
Theme themeFromSettings();
void saveTheme(Theme theme);
QString themeName(Theme theme);            // "system", "light", "dark"
Theme themeFromName(const QString& name);  // System for anything else

// Light or Dark: what `theme` resolves to on this system.
Theme resolvedTheme(Theme theme);

// Whether the desktop asks for dark windows: GTK_THEME ending in ":dark", else GNOME's
// color-scheme (gsettings, when installed, given at most half a second), else the lightness of the
// platform's default palette as it was before the first applyTheme().
bool systemPrefersDark();

QPalette lightPalette();
QPalette darkPalette();

// Whether a palette is a dark one (its window colour is dark).
bool isDark(const QPalette& palette);

// Opaque row backgrounds for "needs attention" (e.g. under-replicated) and "broken" (e.g. offline)
// that keep the palette's Text colour readable (contrast >= 4.5) in light and dark looks.
QColor warningBackground(const QPalette& palette);
QColor dangerBackground(const QPalette& palette);

// WCAG contrast ratio of two colours (1 to 21), used by tests and to check the palettes.
double contrastRatio(const QColor& a, const QColor& b);

}  // namespace partita::ui
