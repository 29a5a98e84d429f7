// theme: Fusion with hand-tuned light and dark palettes, the system's dark preference, the saved
// choice, and row tints that stay readable in both looks.
#include "ui/theme.h"

#include <QApplication>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSettings>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <optional>

namespace partita::ui {

namespace {

const char* kSettingsKey = "ui/theme";

// The platform's palette before we replaced it: once applyTheme() ran, QApplication::palette()
// is ours, so "what does the system look like" must be remembered from the first look.
std::optional<QPalette>& platformPalette() {
    static std::optional<QPalette> palette;
    return palette;
}

void capturePlatformPalette() {
    if (!platformPalette()) platformPalette() = QApplication::palette();
}

// Sets a role for the Active and Inactive groups (the look of focused and unfocused windows is
// the same here) and, separately, for Disabled.
void setRole(QPalette& p, QPalette::ColorRole role, const QColor& normal, const QColor& disabled) {
    p.setColor(QPalette::Active, role, normal);
    p.setColor(QPalette::Inactive, role, normal);
    p.setColor(QPalette::Disabled, role, disabled);
}
void setRole(QPalette& p, QPalette::ColorRole role, const QColor& color) {
    setRole(p, role, color, color);
}

// GNOME 42+ records the dark preference here; older desktops have no such key (then: no answer).
std::optional<bool> gnomePrefersDark() {
    const QString gsettings = QStandardPaths::findExecutable(QStringLiteral("gsettings"));
    if (gsettings.isEmpty()) return std::nullopt;
    QProcess process;
    process.start(gsettings, {QStringLiteral("get"), QStringLiteral("org.gnome.desktop.interface"),
                              QStringLiteral("color-scheme")});
    // Startup must never hang on a broken D-Bus session: give up after half a second.
    if (!process.waitForFinished(500)) {
        process.kill();
        process.waitForFinished(100);
        return std::nullopt;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) return std::nullopt;
    const QString value = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
    if (value.contains(QLatin1String("prefer-dark"))) return true;
    if (value.contains(QLatin1String("prefer-light"))) return false;
    return std::nullopt;  // 'default': the desktop leaves it to the theme, so ask the palette
}

double channel(double c) {
    c /= 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const QColor& color) {
    const QColor c = color.toRgb();
    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
}

}  // namespace

QPalette lightPalette() {
    QPalette p;
    const QColor text(0x1d, 0x1d, 0x1f);
    const QColor disabledText(0x8c, 0x8c, 0x8c);
    setRole(p, QPalette::Window, QColor(0xf3, 0xf3, 0xf3));
    setRole(p, QPalette::WindowText, text, disabledText);
    setRole(p, QPalette::Base, QColor(0xff, 0xff, 0xff), QColor(0xf3, 0xf3, 0xf3));
    setRole(p, QPalette::AlternateBase, QColor(0xf4, 0xf6, 0xf9));
    setRole(p, QPalette::Text, text, disabledText);
    setRole(p, QPalette::PlaceholderText, QColor(0x76, 0x76, 0x76));
    setRole(p, QPalette::Button, QColor(0xea, 0xea, 0xea));
    setRole(p, QPalette::ButtonText, text, disabledText);
    setRole(p, QPalette::BrightText, QColor(0xc0, 0x1c, 0x28));
    setRole(p, QPalette::Light, QColor(0xff, 0xff, 0xff));
    setRole(p, QPalette::Midlight, QColor(0xf6, 0xf6, 0xf6));
    setRole(p, QPalette::Mid, QColor(0xc4, 0xc4, 0xc4));
    setRole(p, QPalette::Dark, QColor(0xa0, 0xa0, 0xa0));
    setRole(p, QPalette::Shadow, QColor(0x6e, 0x6e, 0x6e));
    setRole(p, QPalette::Highlight, QColor(0x2a, 0x6a, 0xc8), QColor(0xc8, 0xc8, 0xc8));
    setRole(p, QPalette::HighlightedText, QColor(0xff, 0xff, 0xff), QColor(0x5a, 0x5a, 0x5a));
    setRole(p, QPalette::Link, QColor(0x1a, 0x5f, 0xb4));
    setRole(p, QPalette::LinkVisited, QColor(0x6d, 0x3a, 0xa8));
    setRole(p, QPalette::ToolTipBase, QColor(0xff, 0xfb, 0xe6));
    setRole(p, QPalette::ToolTipText, text);
    return p;
}

QPalette darkPalette() {
    QPalette p;
    const QColor text(0xe6, 0xe6, 0xe6);
    // Disabled text must stay legible on the dark window (a plain 50% grey disappears).
    const QColor disabledText(0x85, 0x88, 0x8d);
    setRole(p, QPalette::Window, QColor(0x2b, 0x2d, 0x30));
    setRole(p, QPalette::WindowText, text, disabledText);
    setRole(p, QPalette::Base, QColor(0x1e, 0x1f, 0x22), QColor(0x2b, 0x2d, 0x30));
    setRole(p, QPalette::AlternateBase, QColor(0x27, 0x29, 0x2c));
    setRole(p, QPalette::Text, text, disabledText);
    setRole(p, QPalette::PlaceholderText, QColor(0x8f, 0x92, 0x97));
    setRole(p, QPalette::Button, QColor(0x36, 0x39, 0x3d));
    setRole(p, QPalette::ButtonText, text, disabledText);
    setRole(p, QPalette::BrightText, QColor(0xff, 0x7b, 0x72));
    setRole(p, QPalette::Light, QColor(0x4a, 0x4d, 0x52));
    setRole(p, QPalette::Midlight, QColor(0x3c, 0x3f, 0x43));
    setRole(p, QPalette::Mid, QColor(0x24, 0x26, 0x28));
    setRole(p, QPalette::Dark, QColor(0x19, 0x1a, 0x1c));
    setRole(p, QPalette::Shadow, QColor(0x0e, 0x0f, 0x10));
    setRole(p, QPalette::Highlight, QColor(0x2f, 0x65, 0xca), QColor(0x45, 0x48, 0x4d));
    setRole(p, QPalette::HighlightedText, QColor(0xff, 0xff, 0xff), disabledText);
    setRole(p, QPalette::Link, QColor(0x6e, 0xa8, 0xfe));
    setRole(p, QPalette::LinkVisited, QColor(0xb6, 0x93, 0xf5));
    setRole(p, QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x43));
    setRole(p, QPalette::ToolTipText, text);
    return p;
}

bool isDark(const QPalette& palette) {
    return palette.color(QPalette::Window).lightness() < 128;
}

bool systemPrefersDark() {
    capturePlatformPalette();
    const QString gtkTheme = QProcessEnvironment::systemEnvironment().value(QStringLiteral("GTK_THEME"));
    if (gtkTheme.endsWith(QLatin1String(":dark"), Qt::CaseInsensitive)) return true;
    if (const auto gnome = gnomePrefersDark()) return *gnome;
    return isDark(*platformPalette());
}

Theme resolvedTheme(Theme theme) {
    if (theme != Theme::System) return theme;
    return systemPrefersDark() ? Theme::Dark : Theme::Light;
}

void applyTheme(QApplication& app, Theme theme) {
    capturePlatformPalette();
    // Fusion draws every control from the palette, so both looks are complete and identical on
    // every platform (native styles ignore parts of a custom palette).
    if (QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion"))) app.setStyle(fusion);
    const QPalette palette = resolvedTheme(theme) == Theme::Dark ? darkPalette() : lightPalette();
    app.setPalette(palette);
    QToolTip::setPalette(palette);
}

QString themeName(Theme theme) {
    switch (theme) {
        case Theme::Light:
            return QStringLiteral("light");
        case Theme::Dark:
            return QStringLiteral("dark");
        case Theme::System:
            break;
    }
    return QStringLiteral("system");
}

Theme themeFromName(const QString& name) {
    if (name == QLatin1String("light")) return Theme::Light;
    if (name == QLatin1String("dark")) return Theme::Dark;
    return Theme::System;
}

Theme themeFromSettings() {
    return themeFromName(QSettings().value(QLatin1String(kSettingsKey)).toString());
}

void saveTheme(Theme theme) {
    QSettings().setValue(QLatin1String(kSettingsKey), themeName(theme));
}

QColor warningBackground(const QPalette& palette) {
    // Amber: pale on light bases, deep and muted on dark ones, so Text keeps its contrast.
    return isDark(palette) ? QColor(0x5c, 0x47, 0x0e) : QColor(0xff, 0xec, 0xb3);
}

QColor dangerBackground(const QPalette& palette) {
    return isDark(palette) ? QColor(0x6b, 0x1f, 0x24) : QColor(0xfb, 0xd5, 0xd5);
}

double contrastRatio(const QColor& a, const QColor& b) {
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

}  // namespace partita::ui
