// translations: installs the app's embedded translation (translations/partita_<lang>.ts, compiled
// to ":/i18n/partita_<lang>.qm") and Qt's own for the user's language.
#pragma once

#include <QLocale>

class QCoreApplication;

namespace partita::ui {

// Installs the translations for QLocale::system(). Call before creating any window.
void installTranslations(QCoreApplication& app);

// Installs the translations for `locale` instead, replacing any installed earlier by these
// functions. Returns whether the app's own translation was found (English needs none: false).
bool installTranslations(QCoreApplication& app, const QLocale& locale);

}  // namespace partita::ui
