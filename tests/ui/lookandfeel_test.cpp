// Tests of the look and feel: every icon renders sharply at 1x and 2x, the light and dark themes
// are readable, the quick switcher ranks, picks and closes as a user expects (with 12,000
// entries), German loads; screenshots of the switcher on a dark window and of the icon sheet.
#include "ui/icons.h"
#include "ui/quickswitcher.h"
#include "ui/theme.h"
#include "ui/translations.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMainWindow>
#include <QPainter>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>
#include <QToolBar>
#include <QTreeWidget>

using namespace partita;
using partita::ui::QuickSwitcher;
using partita::ui::Theme;

namespace {

const QStringList kExpectedIcons = {"cluster",  "local-cluster", "broker",  "topic", "partition",   "group",
                                    "refresh",  "add",           "delete",  "edit",  "connect",     "disconnect",
                                    "start",    "stop",          "restart", "wipe",  "sample-data", "search",
                                    "settings", "warning",       "error",   "ok",    "alerts"};

// Pixels that are not fully transparent: an icon that renders blank has none.
int paintedPixels(const QImage& image) {
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (qAlpha(image.pixel(x, y)) > 0) ++count;
    return count;
}

QString screenshotDir() {
    const QString dir = QStringLiteral(PARTITA_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    return dir;
}

QList<QuickSwitcher::Entry> sampleEntries() {
    const QIcon topic = ui::icon("topic");
    return {
        {QuickSwitcher::Kind::Topic, "user-orders-archive", topic, "topic:user-orders-archive"},
        {QuickSwitcher::Kind::Topic, "payments", topic, "topic:payments"},
        {QuickSwitcher::Kind::Topic, "orders", topic, "topic:orders"},
        {QuickSwitcher::Kind::Group, "billing-service", ui::icon("group"), "group:billing-service"},
        {QuickSwitcher::Kind::Topic, "shipping.records", topic, "topic:shipping.records"},
        {QuickSwitcher::Kind::Panel, "Brokers", ui::icon("broker"), "panel:brokers"},
        {QuickSwitcher::Kind::Panel, "Consumer groups", ui::icon("group"), "panel:groups"},
        {QuickSwitcher::Kind::Cluster, "Local cluster", ui::icon("local-cluster"), "cluster:local"},
    };
}

}  // namespace

class LookAndFeelTest : public QObject {
    Q_OBJECT
private slots:
    void everyIconRendersAtOneAndTwoTimes() {
        QCOMPARE(ui::iconNames().size(), kExpectedIcons.size());
        for (const QString& name : kExpectedIcons) {
            const QIcon icon = ui::icon(name);
            QVERIFY2(!icon.isNull(), qPrintable(name));
            for (qreal dpr : {1.0, 2.0}) {
                const QPixmap pixmap = icon.pixmap(QSize(24, 24), dpr);
                QVERIFY2(!pixmap.isNull(), qPrintable(name));
                // Sharp at 2x means drawn at 48x48 device pixels, not a 24x24 image scaled up.
                QCOMPARE(pixmap.size(), QSize(int(24 * dpr), int(24 * dpr)));
                QCOMPARE(pixmap.devicePixelRatio(), dpr);
                const QImage image = pixmap.toImage();
                QVERIFY2(paintedPixels(image) > image.width() * image.height() / 20, qPrintable(name));
            }
        }
        QVERIFY(ui::icon("no-such-icon").isNull());

        // In a selected row the blue strokes turn white (they would vanish on the selection's
        // blue); red stays red.
        const QImage selected = ui::icon("topic").pixmap(QSize(24, 24), 1.0, QIcon::Selected).toImage();
        QCOMPARE(QColor(selected.pixel(12, 4)).name(), QStringLiteral("#ffffff"));
        const QImage stop = ui::icon("stop").pixmap(QSize(24, 24), 1.0, QIcon::Selected).toImage();
        QVERIFY(QColor(stop.pixel(12, 12)).red() > 200 && QColor(stop.pixel(12, 12)).green() < 120);
    }

    void themesAreReadable() {
        for (Theme theme : {Theme::Light, Theme::Dark}) {
            const QPalette p = theme == Theme::Dark ? ui::darkPalette() : ui::lightPalette();
            QCOMPARE(ui::isDark(p), theme == Theme::Dark);
            QVERIFY(ui::contrastRatio(p.color(QPalette::Text), p.color(QPalette::Base)) >= 4.5);
            QVERIFY(ui::contrastRatio(p.color(QPalette::WindowText), p.color(QPalette::Window)) >= 4.5);
            QVERIFY(ui::contrastRatio(p.color(QPalette::ButtonText), p.color(QPalette::Button)) >= 4.5);
            QVERIFY(ui::contrastRatio(p.color(QPalette::ToolTipText), p.color(QPalette::ToolTipBase)) >= 4.5);
            QVERIFY(ui::contrastRatio(p.color(QPalette::HighlightedText), p.color(QPalette::Highlight)) >= 4.5);
            QVERIFY(ui::contrastRatio(p.color(QPalette::Link), p.color(QPalette::Base)) >= 4.5);
            // Disabled text is dimmer but still there to read.
            const QColor disabled = p.color(QPalette::Disabled, QPalette::Text);
            const double disabledContrast = ui::contrastRatio(disabled, p.color(QPalette::Base));
            QVERIFY(disabledContrast >= 2.5);
            QVERIFY(disabledContrast < ui::contrastRatio(p.color(QPalette::Text), p.color(QPalette::Base)));
            // Highlighted rows keep their text readable.
            QVERIFY(ui::contrastRatio(p.color(QPalette::Text), ui::warningBackground(p)) >= 4.5);
            QVERIFY(ui::contrastRatio(p.color(QPalette::Text), ui::dangerBackground(p)) >= 4.5);
        }

        auto* app = qApp;
        ui::applyTheme(*qobject_cast<QApplication*>(app), Theme::Dark);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
        QVERIFY(QApplication::palette().color(QPalette::WindowText).lightness() > 200);
        QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
        ui::applyTheme(*qobject_cast<QApplication*>(app), Theme::Light);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 200);
        QVERIFY(QApplication::palette().color(QPalette::WindowText).lightness() < 60);
        // System resolves to one of the two.
        const Theme system = ui::resolvedTheme(Theme::System);
        QVERIFY(system == Theme::Light || system == Theme::Dark);
    }

    void themeIsSaved() {
        QCoreApplication::setOrganizationName("partita-lookandfeel-test");
        QCoreApplication::setApplicationName("lookandfeel_test");
        QSettings().clear();
        QCOMPARE(ui::themeFromSettings(), Theme::System);
        ui::saveTheme(Theme::Dark);
        QCOMPARE(ui::themeFromSettings(), Theme::Dark);
        QCOMPARE(QSettings().value("ui/theme").toString(), QStringLiteral("dark"));
        ui::saveTheme(Theme::Light);
        QCOMPARE(ui::themeFromSettings(), Theme::Light);
        QSettings().clear();
    }

    void switcherRanksPrefixBeforeWordStartBeforeSubsequence() {
        QVERIFY(QuickSwitcher::matchScore("orders", "ord") > QuickSwitcher::matchScore("user-orders-archive", "ord"));
        QVERIFY(QuickSwitcher::matchScore("user-orders-archive", "ord") > QuickSwitcher::matchScore("records", "ord"));
        QVERIFY(QuickSwitcher::matchScore("records", "ord") > QuickSwitcher::matchScore("o-r-d", "ord"));
        QVERIFY(QuickSwitcher::matchScore("o-r-d", "ord") > 0);
        QVERIFY(QuickSwitcher::matchScore("payments", "ord") < 0);
        QVERIFY(QuickSwitcher::matchScore("Orders", "ORD") > 0);  // case-insensitive

        QuickSwitcher switcher;
        switcher.setEntries(sampleEntries());
        switcher.popupOver();
        QTest::keyClicks(switcher.lineEdit(), "ord");
        QVERIFY(switcher.visibleCount() >= 2);
        QCOMPARE(switcher.visibleEntry(0).text, QStringLiteral("orders"));
        QCOMPARE(switcher.visibleEntry(1).text, QStringLiteral("user-orders-archive"));
        QCOMPARE(switcher.listView()->currentIndex().row(), 0);
    }

    void switcherPicksWithKeysAndCloses() {
        QuickSwitcher switcher;
        switcher.setEntries(sampleEntries());
        QSignalSpy spy(&switcher, &QuickSwitcher::activated);

        switcher.popupOver();
        QVERIFY(switcher.isVisible());
        QTest::keyClicks(switcher.lineEdit(), "ord");
        QTest::keyClick(switcher.lineEdit(), Qt::Key_Down);
        QTest::keyClick(switcher.lineEdit(), Qt::Key_Return);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<QuickSwitcher::Kind>(), QuickSwitcher::Kind::Topic);
        QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("topic:user-orders-archive"));
        QVERIFY(!switcher.isVisible());

        // Opening again starts from an empty filter; Up at the top stays on the first entry.
        switcher.popupOver();
        QVERIFY(switcher.lineEdit()->text().isEmpty());
        QCOMPARE(switcher.visibleCount(), int(sampleEntries().size()));
        QTest::keyClicks(switcher.lineEdit(), "bro");
        QTest::keyClick(switcher.lineEdit(), Qt::Key_Up);
        QTest::keyClick(switcher.lineEdit(), Qt::Key_Enter);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).value<QuickSwitcher::Kind>(), QuickSwitcher::Kind::Panel);
        QCOMPARE(spy.at(1).at(1).toString(), QStringLiteral("panel:brokers"));

        // Escape closes without picking anything; Enter on no match does nothing.
        switcher.popupOver();
        QTest::keyClicks(switcher.lineEdit(), "zzzz");
        QCOMPARE(switcher.visibleCount(), 0);
        QTest::keyClick(switcher.lineEdit(), Qt::Key_Return);
        QVERIFY(switcher.isVisible());
        QTest::keyClick(switcher.lineEdit(), Qt::Key_Escape);
        QVERIFY(!switcher.isVisible());
        QCOMPARE(spy.count(), 2);
    }

    void switcherFiltersTwelveThousandEntries() {
        QList<QuickSwitcher::Entry> entries;
        const QIcon topic = ui::icon("topic");
        for (int i = 0; i < 12000; ++i) {
            const QString name = QStringLiteral("service-%1.events-%2").arg(i % 97).arg(i);
            entries.append({QuickSwitcher::Kind::Topic, name, topic, name});
        }
        entries.append({QuickSwitcher::Kind::Topic, "orders", topic, "orders"});
        QuickSwitcher switcher;
        switcher.setEntries(entries);
        switcher.popupOver();
        const QListView* list = switcher.listView();
        QElapsedTimer timer;
        timer.start();
        QTest::keyClicks(switcher.lineEdit(), "ord");
        qInfo("filtering 12,001 entries while typing 3 letters: %lld ms", timer.elapsed());
        QCOMPARE(switcher.visibleCount(), 1);
        QCOMPARE(switcher.visibleEntry(0).id, QStringLiteral("orders"));
        // The same view (no widgets rebuilt) shows the result.
        QCOMPARE(switcher.listView(), list);
        switcher.lineEdit()->clear();
        QCOMPARE(switcher.visibleCount(), 12001);
        timer.restart();
        QTest::keyClicks(switcher.lineEdit(), "s5e1");
        qInfo("filtering 12,001 entries by a scattered subsequence: %lld ms", timer.elapsed());
        QVERIFY(switcher.visibleCount() > 0);
        QVERIFY(switcher.visibleEntry(0).text.startsWith(QStringLiteral("service-5")));
    }

    void germanTranslationLoads() {
        QVERIFY(ui::installTranslations(*QCoreApplication::instance(), QLocale(QLocale::German, QLocale::Germany)));
        QCOMPARE(QCoreApplication::translate("partita::ui::MainWindow", "&Refresh"), QStringLiteral("&Aktualisieren"));
        QCOMPARE(QCoreApplication::translate("partita::ui::MainWindow", "Consumer groups"),
                 QStringLiteral("Consumergruppen"));
        QCOMPARE(QCoreApplication::translate("partita::ui::QuickSwitcher", "Consumer group"),
                 QStringLiteral("Consumergruppe"));
        // Back to English: nothing installed for it, the source strings show.
        QVERIFY(!ui::installTranslations(*QCoreApplication::instance(), QLocale(QLocale::English)));
        QCOMPARE(QCoreApplication::translate("partita::ui::MainWindow", "&Refresh"), QStringLiteral("&Refresh"));
    }

    void screenshotOfSwitcherOnDarkWindow() {
        ui::applyTheme(*qobject_cast<QApplication*>(QCoreApplication::instance()), Theme::Dark);
        // A dummy main window resembling the app's: navigator, table, toolbar, status bar.
        QMainWindow window;
        window.resize(1000, 620);
        auto* toolbar = window.addToolBar("Main");
        toolbar->addAction(ui::icon("refresh"), "Refresh");
        toolbar->addAction(ui::icon("add"), "Create topic");
        toolbar->addAction(ui::icon("delete"), "Delete");
        toolbar->addSeparator();
        toolbar->addAction(ui::icon("start"), "Start");
        toolbar->addAction(ui::icon("stop"), "Stop");
        toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        auto* navigator = new QTreeWidget;
        navigator->setHeaderHidden(true);
        auto* cluster = new QTreeWidgetItem(navigator, {"Local cluster"});
        cluster->setIcon(0, ui::icon("local-cluster"));
        for (const auto& [name, icon] : QList<QPair<QString, QString>>{
                 {"Brokers (3)", "broker"}, {"Topics (42)", "topic"}, {"Consumer groups (7)", "group"}}) {
            auto* item = new QTreeWidgetItem(cluster, {name});
            item->setIcon(0, ui::icon(icon));
        }
        navigator->expandAll();
        auto* table = new QTreeWidget;
        table->setHeaderLabels({"Topic", "Partitions", "Replication"});
        table->setAlternatingRowColors(true);
        table->setRootIsDecorated(false);
        for (int i = 0; i < 14; ++i) {
            auto* row = new QTreeWidgetItem(table, {QString("topic-%1").arg(i), "3", "3"});
            if (i == 4)
                for (int c = 0; c < 3; ++c) row->setBackground(c, ui::warningBackground(table->palette()));
            if (i == 7)
                for (int c = 0; c < 3; ++c) row->setBackground(c, ui::dangerBackground(table->palette()));
        }
        auto* central = new QWidget;
        auto* layout = new QHBoxLayout(central);
        layout->addWidget(navigator, 1);
        layout->addWidget(table, 3);
        window.setCentralWidget(central);
        window.statusBar()->addWidget(new QLabel("Connected"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QuickSwitcher switcher(&window);
        QList<QuickSwitcher::Entry> entries = sampleEntries();
        entries.append({QuickSwitcher::Kind::Group, "orders-consumer", ui::icon("group"), "group:orders-consumer"});
        entries.append({QuickSwitcher::Kind::Topic, "reorder-requests", ui::icon("topic"), "topic:reorder-requests"});
        switcher.setEntries(entries);
        switcher.popupOver(&window);
        QVERIFY(QTest::qWaitForWindowExposed(&switcher));
        QTest::keyClicks(switcher.lineEdit(), "ord");
        // The popup shrinks to the five matches .
        QVERIFY(switcher.height() < switcher.listView()->height() + 100);

        // Compose the popup over the window as the user sees it.
        QImage shot = window.grab().toImage();
        {
            QPainter painter(&shot);
            painter.drawPixmap(switcher.geometry().topLeft() - window.geometry().topLeft(), switcher.grab());
        }
        QVERIFY(shot.save(screenshotDir() + "/quickswitcher-dark.png"));
        switcher.hide();
        ui::applyTheme(*qobject_cast<QApplication*>(QCoreApplication::instance()), Theme::Light);
    }

    void screenshotOfIconSheet() {
        // One column per icon: 48px (how a 2x screen shows 24px), 24px and 16px, on the light
        // window colour above and the dark one below.
        const QStringList names = ui::iconNames();
        const int cell = 60;
        const int band = 110;
        QImage sheet(names.size() * cell, 2 * band, QImage::Format_ARGB32);
        QPainter painter(&sheet);
        painter.fillRect(0, 0, sheet.width(), band, ui::lightPalette().color(QPalette::Base));
        painter.fillRect(0, band, sheet.width(), band, ui::darkPalette().color(QPalette::Window));
        for (int i = 0; i < names.size(); ++i) {
            const QIcon icon = ui::icon(names[i]);
            for (int b = 0; b < 2; ++b) {
                const int x = i * cell;
                const int y = b * band;
                painter.drawPixmap(x + 6, y + 6, icon.pixmap(QSize(48, 48)));
                painter.drawPixmap(x + 18, y + 60, icon.pixmap(QSize(24, 24)));
                painter.drawPixmap(x + 22, y + 88, icon.pixmap(QSize(16, 16)));
            }
        }
        painter.end();
        QVERIFY(sheet.save(screenshotDir() + "/icons.png"));
    }
};

QTEST_MAIN(LookAndFeelTest)
#include "lookandfeel_test.moc"
