// Tests of ConfigModel against a real partitad: a topic's configs with an override (source and
// "differs from default"), editing and applying (read back through Admin), a value the broker
// refuses (its error, the edit kept), reset to default, and a broker's configs.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"
#include "models/clustersession.h"
#include "models/configmodel.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace partita;
using partita::models::ClusterSession;
using partita::models::ConfigModel;
using partita::tests::PartitadProcess;

namespace {

// The topic's value of a config as the broker describes it now.
std::optional<std::string> describedValue(client::Admin admin, const std::string& topic, const std::string& name) {
    auto described = tests::waitFor<std::vector<client::ResourceConfig>>(
        [&](auto done) { admin.describeConfigs({client::ConfigResource::topic(topic)}, {}, done); });
    if (!described.ok() || described.value().empty()) return std::nullopt;
    for (const auto& entry : described.value().front().entries)
        if (entry.name == name) return entry.value;
    return std::nullopt;
}

QVariant cell(const ConfigModel& model, const QString& name, int column, int role = Qt::DisplayRole) {
    return model.index(model.rowOf(name), column).data(role);
}

using Errors = QMap<QString, QString>;
// The per-key errors of the last applied() signal.
Errors errorsOf(const QSignalSpy& applied) {
    return applied.last().at(0).value<Errors>();
}

}  // namespace

class ConfigModelTest : public QObject {
    Q_OBJECT
private slots:
    void topicConfigsEditApplyAndRefusal() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=1"}));
        ClusterSession session(tests::clientConfig(partitad.bootstrap()));
        session.setRefreshInterval(60000);
        QVERIFY(session.admin().has_value());
        client::Admin admin = *session.admin();

        const QString created = tests::createTopic(admin, "audit", 1, {{"retention.ms", "3600000"}});
        QVERIFY2(created.isEmpty(), qPrintable(created));

        ConfigModel* model = ConfigModel::create(&session, this);
        QVERIFY(model);
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(model, &ConfigModel::loaded);
        model->setTopic("audit");
        QVERIFY(loaded.wait(30000));
        QVERIFY(model->rowCount() > 5);

        // The override: where it comes from, and that it stands out.
        QVERIFY(model->rowOf("retention.ms") >= 0);
        QCOMPARE(cell(*model, "retention.ms", ConfigModel::ValueColumn).toString(), QStringLiteral("3600000"));
        QCOMPARE(cell(*model, "retention.ms", ConfigModel::SourceColumn).toString(), QStringLiteral("topic"));
        QVERIFY(cell(*model, "retention.ms", 0, ConfigModel::DiffersFromDefaultRole).toBool());
        QVERIFY(cell(*model, "retention.ms", 0, ConfigModel::ResettableRole).toBool());
        QVERIFY(qvariant_cast<QFont>(cell(*model, "retention.ms", ConfigModel::ValueColumn, Qt::FontRole)).bold());
        // A config nobody set: Kafka's default, not bold.
        QVERIFY(model->rowOf("segment.jitter.ms") >= 0);
        QCOMPARE(cell(*model, "segment.jitter.ms", ConfigModel::SourceColumn).toString(), QStringLiteral("default"));
        QVERIFY(!cell(*model, "segment.jitter.ms", 0, ConfigModel::DiffersFromDefaultRole).toBool());
        QVERIFY(!cell(*model, "segment.jitter.ms", 0, ConfigModel::ResettableRole).toBool());
        QVERIFY(model->flags(model->index(model->rowOf("retention.ms"), ConfigModel::ValueColumn)) &
                Qt::ItemIsEditable);
        QVERIFY(
            !(model->flags(model->index(model->rowOf("retention.ms"), ConfigModel::NameColumn)) & Qt::ItemIsEditable));

        // An edit is pending (italic) until applied; the broker then holds it.
        QVERIFY(model->setData(model->index(model->rowOf("retention.ms"), ConfigModel::ValueColumn), "7200000"));
        QVERIFY(cell(*model, "retention.ms", 0, ConfigModel::ModifiedRole).toBool());
        QVERIFY(qvariant_cast<QFont>(cell(*model, "retention.ms", ConfigModel::ValueColumn, Qt::FontRole)).italic());
        QCOMPARE(describedValue(admin, "audit", "retention.ms"), std::optional<std::string>("3600000"));
        QSignalSpy applied(model, &ConfigModel::applied);
        model->apply();
        QVERIFY(applied.wait(30000));
        QVERIFY(errorsOf(applied).isEmpty());
        QCOMPARE(describedValue(admin, "audit", "retention.ms"), std::optional<std::string>("7200000"));
        QTRY_COMPARE_WITH_TIMEOUT(cell(*model, "retention.ms", ConfigModel::ValueColumn).toString(),
                                  QStringLiteral("7200000"), 30000);
        QVERIFY(!cell(*model, "retention.ms", 0, ConfigModel::ModifiedRole).toBool());
        QVERIFY(!model->hasPendingEdits());

        // A value the broker refuses: its message, and the edit kept for correction.
        QVERIFY(model->setData(model->index(model->rowOf("retention.ms"), ConfigModel::ValueColumn), "soon"));
        model->apply();
        QVERIFY(applied.wait(30000));
        const auto errors = errorsOf(applied);
        QVERIFY2(errors.contains("retention.ms"), qPrintable(QStringList(errors.keys()).join(',')));
        QVERIFY(!errors.value("retention.ms").isEmpty());
        QVERIFY(!cell(*model, "retention.ms", 0, ConfigModel::ErrorRole).toString().isEmpty());
        QVERIFY(cell(*model, "retention.ms", 0, ConfigModel::ModifiedRole).toBool());
        QCOMPARE(cell(*model, "retention.ms", ConfigModel::ValueColumn).toString(), QStringLiteral("soon"));
        QCOMPARE(describedValue(admin, "audit", "retention.ms"), std::optional<std::string>("7200000"));

        // Reset to default deletes the override.
        model->discardEdits();
        QVERIFY(!model->hasPendingEdits());
        QVERIFY(model->resetToDefault(model->rowOf("retention.ms")));
        QVERIFY(!model->resetToDefault(model->rowOf("segment.jitter.ms")));
        model->apply();
        QVERIFY(applied.wait(30000));
        QVERIFY(errorsOf(applied).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(cell(*model, "retention.ms", ConfigModel::SourceColumn).toString() != "topic", 30000);
        QVERIFY(describedValue(admin, "audit", "retention.ms") != std::optional<std::string>("7200000"));
    }

    void brokerConfigs() {
        QTemporaryDir dir;
        PartitadProcess partitad(dir.path());
        QVERIFY(partitad.start({"num.partitions=1"}));
        ClusterSession session(tests::clientConfig(partitad.bootstrap()));
        session.setRefreshInterval(60000);
        QTRY_VERIFY_WITH_TIMEOUT(session.snapshot() != nullptr, 30000);
        QVERIFY(!session.snapshot()->brokers.empty());
        const int brokerId = session.snapshot()->brokers.front().id;

        ConfigModel* model = ConfigModel::create(&session, this);
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(model, &ConfigModel::loaded);
        model->setBroker(brokerId);
        QVERIFY(loaded.wait(30000));
        QVERIFY(!model->isTopic());
        // num.partitions came from the command line: a static broker setting that differs from Kafka's default.
        QVERIFY(model->rowOf("num.partitions") >= 0);
        QCOMPARE(cell(*model, "num.partitions", ConfigModel::ValueColumn).toString(), QStringLiteral("1"));
        QCOMPARE(cell(*model, "num.partitions", ConfigModel::SourceColumn).toString(), QStringLiteral("static broker"));
        // Read-only entries cannot be edited; editable ones can, and whatever the broker answers
        // (applied, or refused because it cannot change it at runtime) reaches the caller.
        int editable = -1;
        for (int row = 0; row < model->rowCount(); ++row) {
            const auto* config = model->config(row);
            const bool flagged = model->flags(model->index(row, ConfigModel::ValueColumn)) & Qt::ItemIsEditable;
            QCOMPARE(flagged, !config->readOnly && !config->sensitive);
            if (flagged && editable < 0 && config->value && config->name == "log.cleaner.threads") editable = row;
        }
        if (editable >= 0) {
            const QString name = model->config(editable)->name;
            QVERIFY(model->setData(model->index(editable, ConfigModel::ValueColumn), "2"));
            QSignalSpy applied(model, &ConfigModel::applied);
            model->apply();
            QVERIFY(applied.wait(30000));
            const auto errors = errorsOf(applied);
            if (errors.isEmpty()) {
                QTRY_COMPARE_WITH_TIMEOUT(cell(*model, name, ConfigModel::ValueColumn).toString(), QStringLiteral("2"),
                                          30000);
            } else {
                QVERIFY(!errors.value(name).isEmpty());
                QVERIFY(cell(*model, name, 0, ConfigModel::ModifiedRole).toBool());
            }
        }
    }
};

QTEST_GUILESS_MAIN(ConfigModelTest)
#include "configmodel_test.moc"
