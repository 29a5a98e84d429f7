// Tests of the topic administration UI on a real partitad (offscreen): the create-topic dialog's
// name rules and the broker's refusal of a bad config, creating, adding partitions, purging and
// deleting from the topics panel, the topic config dialog, the brokers panel's configs pane, and
// screenshots of the two dialogs.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"
#include "models/brokermodel.h"
#include "models/clustersession.h"
#include "models/configmodel.h"
#include "models/topicmodel.h"
#include "ui/addpartitionsdialog.h"
#include "ui/brokerconfigspanel.h"
#include "ui/brokerspanel.h"
#include "ui/configeditor.h"
#include "ui/createtopicdialog.h"
#include "ui/deletetopicdialog.h"
#include "ui/topicconfigdialog.h"
#include "ui/topicspanel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace partita;
using partita::models::ClusterSession;
using partita::models::ConfigModel;
using partita::models::TopicModel;
using partita::tests::PartitadProcess;
using partita::ui::CreateTopicDialog;

namespace {

bool panelShows(const ui::TopicsPanel& panel, const QString& topic) {
    for (int row = 0; row < panel.view()->model()->rowCount(); ++row)
        if (panel.topicAt(row) == topic) return true;
    return false;
}

// Earliest and latest offsets of partition 0.
std::pair<qint64, qint64> startAndEnd(client::Admin admin, const std::string& topic) {
    auto offsetAt = [&](int64_t spec) -> qint64 {
        auto listed = tests::waitFor<std::vector<client::ListedOffset>>([&](auto done) {
            admin.listOffsets({{{topic, 0}, spec}}, client::IsolationLevel::ReadUncommitted, done);
        });
        return listed.ok() && !listed.value().empty() ? listed.value().front().offset : -2;
    };
    return {offsetAt(client::OffsetSpec::kEarliest), offsetAt(client::OffsetSpec::kLatest)};
}

QString screenshotDir() {
    const QString shots = QStringLiteral(PARTITA_SCREENSHOT_DIR);
    QDir().mkpath(shots);
    return shots;
}

}  // namespace

class TopicAdminTest : public QObject {
    Q_OBJECT
private slots:
    void nameRules() {
        const QStringList existing{"orders", "my.topic"};
        QVERIFY(!CreateTopicDialog::nameProblem("", existing).isEmpty());
        QVERIFY(!CreateTopicDialog::nameProblem(".", existing).isEmpty());
        QVERIFY(!CreateTopicDialog::nameProblem("..", existing).isEmpty());
        QVERIFY(!CreateTopicDialog::nameProblem(QString(250, 'a'), existing).isEmpty());
        QVERIFY(CreateTopicDialog::nameProblem(QString(249, 'a'), existing).isEmpty());
        QVERIFY(!CreateTopicDialog::nameProblem("bad name", existing).isEmpty());
        QVERIFY(!CreateTopicDialog::nameProblem("émile", existing).isEmpty());
        QVERIFY(!CreateTopicDialog::nameProblem("orders", existing).isEmpty());
        QVERIFY(CreateTopicDialog::nameProblem("Orders-2_x.y", existing).isEmpty());
        QCOMPARE(CreateTopicDialog::collidingTopic("my_topic", existing), QStringLiteral("my.topic"));
        QVERIFY(CreateTopicDialog::collidingTopic("my-topic", existing).isEmpty());
    }

    void createPurgeAddPartitionsConfigsAndDelete() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=1"}));
        ClusterSession session(tests::clientConfig(partitad.bootstrap()));
        session.setRefreshInterval(60000);
        QVERIFY(session.admin().has_value());
        client::Admin admin = *session.admin();

        const QString created = tests::createTopic(admin, "orders", 1, {{"retention.ms", "3600000"}});
        QVERIFY2(created.isEmpty(), qPrintable(created));
        const QString produced = tests::produceValues(session.client(), "orders", 20, 1);
        QVERIFY2(produced.isEmpty(), qPrintable(produced));

        TopicModel topics;
        connect(&session, &ClusterSession::snapshotReady, &topics, &TopicModel::setSnapshot);
        ui::TopicsPanel panel(&topics);
        QVERIFY(!panel.newTopicAction()->isEnabled());
        panel.setSession(&session);
        panel.resize(900, 500);
        panel.show();
        session.refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(panelShows(panel, "orders"), 30000);
        QVERIFY(panel.newTopicAction()->isEnabled());
        QVERIFY(!panel.deleteTopicAction()->isEnabled());  // nothing selected yet

        // Each local name rule keeps Create disabled and says why.
        CreateTopicDialog* dialog = panel.newTopic();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        const QStringList badNames{".", "..", QString(250, 'x'), "has space", "orders"};
        for (const QString& name : badNames) {
            dialog->nameEdit()->setText(name);
            QVERIFY2(!dialog->createButton()->isEnabled(), qPrintable(name));
            QVERIFY2(!dialog->nameMessageLabel()->text().isEmpty(), qPrintable(name));
        }
        dialog->nameEdit()->clear();
        QVERIFY(!dialog->createButton()->isEnabled());
        QTest::keyClicks(dialog->nameEdit(), "payments");
        QVERIFY(dialog->createButton()->isEnabled());
        QVERIFY(dialog->nameMessageLabel()->text().isEmpty());
        QCOMPARE(dialog->replicationSpin()->maximum(), 1);  // one broker

        // A config the broker refuses: its message next to the table, nothing created.
        dialog->partitionsSpin()->setValue(2);
        const int row = dialog->addConfig("retention.ms", "forever");
        QCOMPARE(dialog->configs().value("retention.ms"), QStringLiteral("forever"));
        dialog->createButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->brokerMessageLabel()->text().contains("refused"), 30000);
        QVERIFY(!dialog->isBusy());
        QVERIFY(dialog->isVisible());
        QVERIFY2(dialog->brokerMessageLabel()->text().contains("retention.ms"),
                 qPrintable(dialog->brokerMessageLabel()->text()));
        QVERIFY(dialog->grab().save(screenshotDir() + "/createtopic_error.png"));
        session.refreshNow();
        QTest::qWait(300);
        QTRY_VERIFY_WITH_TIMEOUT(!session.isRefreshing(), 30000);
        QVERIFY(topics.rowOf("payments") < 0);

        // Corrected, it is created and shows up in the panel after the refresh.
        qobject_cast<QLineEdit*>(dialog->configsTable()->cellWidget(row, 1))->setText("86400000");
        QPointer<CreateTopicDialog> guard(dialog);
        dialog->createButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!guard || !guard->isVisible(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(panelShows(panel, "payments"), 30000);
        QCOMPARE(topics.topic(topics.rowOf("payments"))->partitions, 2);

        // Add partitions: the new total must exceed the current one.
        QVERIFY(panel.selectTopic("payments"));
        QVERIFY(panel.addPartitionsAction()->isEnabled());
        ui::AddPartitionsDialog* grow = panel.addPartitionsToSelected();
        QVERIFY(grow);
        QCOMPARE(grow->totalSpin()->minimum(), 3);
        grow->totalSpin()->setValue(4);
        grow->addButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(topics.topic(topics.rowOf("payments"))->partitions, 4, 30000);

        // Purge: confirmed, the start offset catches up with the end.
        QCOMPARE(startAndEnd(admin, "orders"), std::make_pair(qint64(0), qint64(20)));
        QVERIFY(panel.selectTopic("orders"));
        QMessageBox* box = panel.purgeSelected();
        QVERIFY(box);
        QAbstractButton* purge = nullptr;
        for (QAbstractButton* button : box->buttons())
            if (box->buttonRole(button) == QMessageBox::DestructiveRole) purge = button;
        QVERIFY(purge);
        purge->click();
        QTRY_VERIFY_WITH_TIMEOUT(panel.statusLabel()->text().contains("purged"), 30000);
        QCOMPARE(startAndEnd(admin, "orders"), std::make_pair(qint64(20), qint64(20)));

        // The topic config dialog: overrides only, an edit applied, and its screenshot.
        QVERIFY(panel.selectTopic("orders"));
        ui::TopicConfigDialog* configs = panel.showSelectedConfigs();
        QVERIFY(configs && configs->editor());
        ConfigModel* model = configs->model();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOf("retention.ms") >= 0, 30000);
        const int all = configs->editor()->view()->model()->rowCount();
        configs->editor()->overridesOnlyCheckBox()->setChecked(true);
        QVERIFY(configs->editor()->view()->model()->rowCount() < all);
        QVERIFY(configs->editor()->viewRowOf("retention.ms") >= 0);
        QVERIFY(model->setData(model->index(model->rowOf("retention.ms"), ConfigModel::ValueColumn), "later"));
        QVERIFY(configs->editor()->applyButton()->isEnabled());
        configs->editor()->applyButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(configs->editor()->statusLabel()->text().contains("refused"), 30000);
        QVERIFY(configs->editor()->statusLabel()->isVisible());
        QVERIFY(configs->grab().save(screenshotDir() + "/topicconfig.png"));
        model->setData(model->index(model->rowOf("retention.ms"), ConfigModel::ValueColumn), "60000");
        configs->editor()->applyButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(configs->editor()->statusLabel()->text().contains("applied"), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(
            model->index(model->rowOf("retention.ms"), ConfigModel::ValueColumn).data().toString(),
            QStringLiteral("60000"), 30000);
        configs->close();

        // Delete: the Delete key asks, and only the typed name unlocks the button.
        QVERIFY(panel.selectTopic("payments"));
        QApplication::setActiveWindow(&panel);
        QVERIFY(QTest::qWaitForWindowActive(&panel));
        panel.view()->setFocus();
        QTest::keyClick(panel.view(), Qt::Key_Delete);
        auto* confirm = panel.findChild<ui::DeleteTopicDialog*>();
        QVERIFY(confirm);
        QVERIFY(!confirm->deleteButton()->isEnabled());
        QTest::keyClicks(confirm->confirmEdit(), "payment");
        QVERIFY(!confirm->deleteButton()->isEnabled());
        QTest::keyClicks(confirm->confirmEdit(), "s");
        QVERIFY(confirm->deleteButton()->isEnabled());
        confirm->deleteButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!panelShows(panel, "payments"), 30000);
        QVERIFY(panelShows(panel, "orders"));

        // Ctrl+N opens the create dialog from the table.
        QTRY_VERIFY_WITH_TIMEOUT(panel.findChildren<CreateTopicDialog*>().isEmpty(), 10000);
        QApplication::setActiveWindow(&panel);
        QVERIFY(QTest::qWaitForWindowActive(&panel));
        panel.view()->setFocus();
        QTest::keyClick(panel.view(), Qt::Key_N, Qt::ControlModifier);
        auto* fresh = panel.findChild<CreateTopicDialog*>();
        QVERIFY(fresh);
        QVERIFY(fresh->isVisible());
        fresh->nameEdit()->setText("has space");
        QVERIFY(fresh->grab().save(screenshotDir() + "/createtopic_badname.png"));
        fresh->reject();
    }

    void brokersPanelFollowsSelection() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=1"}));
        ClusterSession session(tests::clientConfig(partitad.bootstrap()));
        session.setRefreshInterval(60000);
        models::BrokerModel brokers;
        connect(&session, &ClusterSession::snapshotReady, &brokers, &models::BrokerModel::setSnapshot);
        ui::BrokersPanel panel(&brokers);
        panel.resize(900, 700);
        panel.show();
        QVERIFY(!panel.configsPanel()->isVisible());
        panel.setSession(&session);
        QVERIFY(panel.configsPanel()->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(panel.view()->model()->rowCount(), 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(panel.configsPanel()->broker() >= 0, 30000);
        ConfigModel* model = panel.configsPanel()->model();
        QVERIFY(model);
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOf("num.partitions") >= 0, 30000);
        ui::ConfigEditor* editor = panel.configsPanel()->editor();
        const int all = editor->view()->model()->rowCount();
        QTest::keyClicks(editor->filterEdit(), "NUM.PART");
        QVERIFY(editor->viewRowOf("num.partitions") >= 0);
        QVERIFY(editor->view()->model()->rowCount() < all);
        for (int row = 0; row < editor->view()->model()->rowCount(); ++row)
            QVERIFY(editor->view()->model()->index(row, 0).data().toString().contains("num.part"));
        QVERIFY(panel.grab().save(screenshotDir() + "/brokerconfigs.png"));
    }
};

QTEST_MAIN(TopicAdminTest)
#include "topicadmin_test.moc"
