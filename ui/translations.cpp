// translations: finds and installs the app's and Qt's translations for a locale.
#include "ui/translations.h"

#include "ui/icons.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace partita::ui {

namespace {

// Installed translators are children of the app with these names, so a second call (a language
// change, a test) removes the earlier ones instead of stacking them.
const char* kAppTranslator = "partitaAppTranslator";
const char* kQtTranslator = "partitaQtTranslator";

void removeInstalled(QCoreApplication& app, const char* name) {
    if (auto* old = app.findChild<QTranslator*>(QLatin1String(name), Qt::FindDirectChildrenOnly)) {
        QCoreApplication::removeTranslator(old);
        delete old;
    }
}

bool install(QCoreApplication& app, const char* name, const QLocale& locale, const QString& file,
             const QString& directory) {
    removeInstalled(app, name);
    auto* translator = new QTranslator(&app);
    translator->setObjectName(QLatin1String(name));
    // Tries partita_de_DE, partita_de, ... for each of the locale's UI languages.
    if (!translator->load(locale, file, QStringLiteral("_"), directory)) {
        delete translator;
        return false;
    }
    QCoreApplication::installTranslator(translator);
    return true;
}

}  // namespace

void installTranslations(QCoreApplication& app) {
    installTranslations(app, QLocale::system());
}

bool installTranslations(QCoreApplication& app, const QLocale& locale) {
    initResources();
    // Qt's own strings (standard dialog buttons, context menus); absent unless qt6-translations
    // is installed, which is fine.
    install(app, kQtTranslator, locale, QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    return install(app, kAppTranslator, locale, QStringLiteral("partita"), QStringLiteral(":/i18n"));
}

}  // namespace partita::ui
