// Tests of the producer dialog against a real partitad: invalid JSON blocks sending, a fixed value
// is delivered and read back with kcat, an unknown partition and a stopped broker are reported in
// the results, an internal topic asks first, a bulk of 5,000 generated messages, templates and
// values from files; plus a screenshot.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/admin.h"
#include "models/clustersession.h"
#include "models/clustersnapshot.h"
#include "ui/headerseditor.h"
#include "ui/producerdialog.h"
#include "ui/produceresultstable.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace partita;
using partita::models::ClusterSession;
using partita::tests::PartitadProcess;
using partita::ui::ProducerDialog;
using partita::ui::ProduceResultsTable;

namespace {

const char* kTopic = "orders";

// The high watermark of each partition of `topic` (empty when the broker did not answer).
std::vector<qint64> endOffsets(const client::Admin& admin, const std::string& topic, int partitions) {
    std::map<client::TopicPartition, int64_t> specs;
    for (int p = 0; p < partitions; ++p) specs[{topic, p}] = client::OffsetSpec::kLatest;
    auto promise = std::make_shared<std::promise<std::vector<qint64>>>();
    auto future = promise->get_future();
    client::Admin(admin).listOffsets(specs, client::IsolationLevel::ReadUncommitted,
                                     [promise, partitions](Result<std::vector<client::ListedOffset>> listed) {
                                         std::vector<qint64> ends(size_t(partitions), -1);
                                         if (listed.ok())
                                             for (const auto& o : listed.value())
                                                 ends[size_t(o.partition.partition)] = o.offset;
                                         promise->set_value(ends);
                                     });
    if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) return {};
    return future.get();
}

QString resultText(const ProducerDialog& dialog, int row, int column) {
    const QTableWidgetItem* item = dialog.resultsTable()->item(row, column);
    return item ? item->text() : QString();
}

}  // namespace

class ProducerDialogTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QTemporaryDir m_settingsDir;
    std::unique_ptr<PartitadProcess> m_broker;
    std::unique_ptr<ClusterSession> m_session;

    qint64 endOffset(int partition) {
        const auto ends = endOffsets(*m_session->admin(), kTopic, 2);
        return ends.empty() ? -2 : ends[size_t(partition)];
    }

private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        m_broker = std::make_unique<PartitadProcess>(m_dir.path());
        QVERIFY(m_broker->start({"num.partitions=2"}));
        m_session = std::make_unique<ClusterSession>(tests::clientConfig(m_broker->bootstrap()));
        m_session->setRefreshInterval(60000);
        QVERIFY(m_session->admin().has_value());
        const QString created = tests::createTopic(*m_session->admin(), kTopic, 2);
        QVERIFY2(created.isEmpty(), qPrintable(created));
        // A group's committed offset makes the broker create __consumer_offsets (internal).
        const Status committed = tests::waitForStatus([&](auto done) {
            m_session->admin()->alterConsumerGroupOffsets(
                "billing", {{client::TopicPartition{kTopic, 0}, client::OffsetAndMetadata{.offset = 0}}},
                [done](auto result) {
                    if (!result.ok()) return done(Status(result.error()));
                    done(result.value().empty() ? Status() : result.value().front().status);
                });
        });
        QVERIFY2(committed.ok(), committed.error().message.c_str());
        m_session->refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(m_session->snapshot() && m_session->snapshot()->findTopic(kTopic) &&
                                     m_session->snapshot()->findTopic("__consumer_offsets"),
                                 30000);
        QVERIFY(m_session->snapshot()->findTopic("__consumer_offsets")->internal);
    }

    void cleanupTestCase() {
        m_session.reset();
        m_broker.reset();
    }

    void badJsonBlocksThenFixedJsonIsDelivered() {
        ProducerDialog dialog(m_session.get(), kTopic);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.topicCombo()->currentText(), QString(kTopic));
        QCOMPARE(dialog.partitionCombo()->count(), 3);  // default partitioner, 0, 1
        QVERIFY(dialog.topicCombo()->findText("__consumer_offsets") >= 0);

        // The user marks the topic as JSON and types a broken value.
        dialog.jsonCheck()->click();
        QVERIFY(dialog.jsonCheck()->isChecked());
        QVERIFY(models::MessageTemplateStore(kTopic).topicIsJson());
        const qint64 before = endOffset(1);
        dialog.keyEdit()->setText("order-1");
        dialog.valueEdit()->setPlainText("{\"id\": 1,\n  \"total\": }");
        QVERIFY(dialog.errorLabel()->isVisible());
        QVERIFY2(dialog.errorLabel()->text().contains("line 2, column"), qPrintable(dialog.errorLabel()->text()));
        QVERIFY(!dialog.sendButton()->isEnabled());
        dialog.send();  // a keyboard shortcut or a stale click sends nothing either
        QTest::qWait(300);
        QCOMPARE(dialog.resultsTable()->rowCount(), 0);
        QCOMPARE(endOffset(1), before);
        const QString shots = QStringLiteral(PARTITA_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(shots));
        QVERIFY(dialog.grab().save(shots + "/producerdialog-invalid.png"));

        // Fixed: sent to partition 1, the row shows where it went, the record is really there.
        dialog.valueEdit()->setPlainText("{\"id\": 1, \"total\": 12.5, \"items\": [\"book\", \"pen\"]}");
        QVERIFY(!dialog.errorLabel()->isVisible());
        QVERIFY(dialog.sendButton()->isEnabled());
        dialog.formatJsonButton()->click();
        QVERIFY(dialog.valueEdit()->toPlainText().contains("\n"));
        dialog.partitionCombo()->setCurrentIndex(dialog.partitionCombo()->findData(1));
        dialog.headersEditor()->addRow("trace", QByteArray("abc-123"));
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.resultsTable()->rowCount(), 1, 30000);
        QCOMPARE(resultText(dialog, 0, ProduceResultsTable::PartitionColumn), QStringLiteral("1"));
        QCOMPARE(resultText(dialog, 0, ProduceResultsTable::OffsetColumn), QString::number(before));
        QVERIFY(!resultText(dialog, 0, ProduceResultsTable::OutcomeColumn).isEmpty());
        QTRY_VERIFY(dialog.sendButton()->isEnabled());
        QCOMPARE(endOffset(1), before + 1);
        const auto read = tests::runKcat({"-C", "-b", m_broker->bootstrap(), "-t", kTopic, "-p", "1", "-o",
                                          QString::number(before), "-c", "1", "-e", "-f", "%k|%h|%s"});
        QCOMPARE(read.exitCode, 0);
        QVERIFY2(read.out.startsWith("order-1|trace=abc-123|{"), qPrintable(read.out));
        QVERIFY(read.out.contains("\"total\": 12.5"));

        // Two more for the screenshot.
        for (int i = 0; i < 2; ++i) {
            QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(dialog.resultsTable()->rowCount(), i + 2, 30000);
            QTRY_VERIFY(dialog.sendButton()->isEnabled());
        }
        QTest::qWait(200);
        QVERIFY(dialog.grab().save(shots + "/producerdialog.png"));

        // Switched off again by the user: the topic is no longer marked as JSON.
        dialog.jsonCheck()->click();
        QVERIFY(!models::MessageTemplateStore(kTopic).topicIsJson());
    }

    void unknownPartitionIsReported() {
        ProducerDialog dialog(m_session.get(), kTopic);
        dialog.show();
        dialog.setMessage(QByteArray("k"), QByteArray("v"), {}, 7);
        QCOMPARE(dialog.partitionCombo()->currentData().toInt(), 7);
        QVERIFY(dialog.sendButton()->isEnabled());
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.resultsTable()->rowCount(), 1, 30000);
        QCOMPARE(resultText(dialog, 0, ProduceResultsTable::PartitionColumn), QStringLiteral("7"));
        QCOMPARE(resultText(dialog, 0, ProduceResultsTable::OffsetColumn), QString());
        const QString error = resultText(dialog, 0, ProduceResultsTable::OutcomeColumn);
        QVERIFY2(error.contains("partition", Qt::CaseInsensitive) && error.endsWith('.'), qPrintable(error));
        QVERIFY2(dialog.summaryLabel()->text().contains(error), qPrintable(dialog.summaryLabel()->text()));
        QTRY_VERIFY(dialog.sendButton()->isEnabled());
    }

    void internalTopicAsksFirst() {
        ProducerDialog dialog(m_session.get(), "__consumer_offsets");
        dialog.show();
        QStringList asked;
        dialog.setConfirmInternal([&](const QString& topic) {
            asked << topic;
            return false;
        });
        dialog.valueEdit()->setPlainText("not an offset commit");
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QCOMPARE(asked, QStringList{"__consumer_offsets"});
        QTest::qWait(300);
        QCOMPARE(dialog.resultsTable()->rowCount(), 0);
        QVERIFY(!dialog.isSending());
        QVERIFY(dialog.summaryLabel()->text().contains("Nothing sent"));

        // An ordinary topic does not ask.
        dialog.topicCombo()->setCurrentText(kTopic);
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.resultsTable()->rowCount(), 1, 30000);
        QCOMPARE(asked.size(), 1);
    }

    void bulkWithCounter() {
        ProducerDialog dialog(m_session.get(), kTopic);
        dialog.show();
        const qint64 before = endOffset(0) + endOffset(1);
        dialog.keyEdit()->setText("k-{{counter}}");
        dialog.valueEdit()->setPlainText("{\"n\": {{counter}}, \"kind\": \"{{random:a|b}}\"}");
        dialog.countSpin()->setValue(5000);
        QVERIFY2(dialog.sendButton()->text().contains("messages"), qPrintable(dialog.sendButton()->text()));
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QVERIFY(dialog.isSending());
        QVERIFY(!dialog.sendButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isSending(), 120000);
        QCOMPARE(dialog.progressBar()->maximum(), 5000);
        QCOMPARE(dialog.progressBar()->value(), 5000);
        const QString summary = dialog.summaryLabel()->text();
        QVERIFY2(summary.contains("delivered") && summary.contains(" 0 failed"), qPrintable(summary));
        QVERIFY(dialog.rateLabel()->text().contains("msg/s"));
        QCOMPARE(dialog.resultsTable()->rowCount(), int(ProduceResultsTable::kMaxRows));
        QVERIFY(!dialog.cancelButton()->isEnabled());
        QVERIFY(dialog.sendButton()->isEnabled());
        QCOMPARE(endOffset(0) + endOffset(1), before + 5000);

        // A bulk far too long to wait for stops on Cancel, and says so.
        dialog.countSpin()->setValue(100000000);
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QVERIFY(dialog.cancelButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(dialog.progressBar()->value() > 0, 60000);
        QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isSending(), 60000);
        QVERIFY(dialog.progressBar()->value() < 100000000);
        QVERIFY2(dialog.summaryLabel()->text().contains("cancelled"), qPrintable(dialog.summaryLabel()->text()));
        QVERIFY(dialog.sendButton()->isEnabled());
    }

    void templatesRestoreEveryField() {
        models::MessageTemplateStore(kTopic).remove("refund");
        QDateTime at = QDateTime::fromMSecsSinceEpoch(1700000000123);
        {
            ProducerDialog dialog(m_session.get(), kTopic);
            dialog.keyEdit()->setText("refund-7");
            dialog.valueEdit()->setPlainText("{\"refund\": true}");
            dialog.headersEditor()->addRow("source", QByteArray("ui"));
            dialog.headersEditor()->addRow("nothing", std::nullopt);
            dialog.partitionCombo()->setCurrentIndex(dialog.partitionCombo()->findData(1));
            dialog.customTimeCheck()->setChecked(true);
            dialog.timeEdit()->setDateTime(at);
            dialog.codecCombo()->setCurrentText("zstd");
            dialog.acksCombo()->setCurrentIndex(dialog.acksCombo()->findData(1));
            dialog.saveTemplate("refund");
            QCOMPARE(dialog.templateCombo()->currentText(), QStringLiteral("refund"));
        }
        ProducerDialog dialog(m_session.get(), kTopic);
        const int index = dialog.templateCombo()->findText("refund");
        QVERIFY(index >= 0);
        dialog.templateCombo()->setCurrentIndex(index);
        emit dialog.templateCombo()->activated(index);
        QCOMPARE(dialog.keyEdit()->text(), QStringLiteral("refund-7"));
        QCOMPARE(dialog.valueEdit()->toPlainText(), QStringLiteral("{\"refund\": true}"));
        const auto headers = dialog.headersEditor()->headers();
        QCOMPARE(headers.size(), 2);
        QCOMPARE(headers[0].first, QStringLiteral("source"));
        QCOMPARE(headers[0].second, std::optional<QByteArray>("ui"));
        QVERIFY(!headers[1].second.has_value());
        QCOMPARE(dialog.partitionCombo()->currentData().toInt(), 1);
        QVERIFY(dialog.customTimeCheck()->isChecked());
        QCOMPARE(dialog.timeEdit()->dateTime().toMSecsSinceEpoch(), at.toMSecsSinceEpoch());
        QCOMPARE(dialog.codecCombo()->currentText(), QStringLiteral("zstd"));
        QCOMPARE(dialog.acksCombo()->currentData().toInt(), 1);

        // UTC shows the same instant in UTC.
        dialog.utcCheck()->setChecked(true);
        QCOMPARE(dialog.timeEdit()->dateTime().toMSecsSinceEpoch(), at.toMSecsSinceEpoch());
        QCOMPARE(dialog.timeEdit()->text(), at.toUTC().toString("yyyy-MM-dd HH:mm:ss.zzz"));
        QCOMPARE(dialog.currentTemplate().timestamp, at.toMSecsSinceEpoch());

        // Deleted: gone from the list.
        dialog.deleteTemplateButton()->click();
        QCOMPARE(dialog.templateCombo()->findText("refund"), -1);
    }

    void valueFromFile() {
        ProducerDialog dialog(m_session.get(), kTopic);
        QTemporaryDir dir;
        QFile binary(dir.filePath("blob.bin"));
        QVERIFY(binary.open(QIODevice::WriteOnly));
        binary.write(QByteArray("\x00\x01\x02\xff\xfe binary", 12));
        binary.close();
        QCOMPARE(dialog.loadValueFromFile(binary.fileName()), QString());
        QVERIFY2(dialog.binaryNote()->text().contains("binary file, 12 bytes"),
                 qPrintable(dialog.binaryNote()->text()));
        QCOMPARE(dialog.currentTemplate().value,
                 std::optional<QByteArray>(QByteArray("\x00\x01\x02\xff\xfe binary", 12)));

        QFile text(dir.filePath("value.json"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("{\"from\": \"file\"}");
        text.close();
        QCOMPARE(dialog.loadValueFromFile(text.fileName()), QString());
        QCOMPARE(dialog.valueEdit()->toPlainText(), QStringLiteral("{\"from\": \"file\"}"));

        QFile big(dir.filePath("big.bin"));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(ProducerDialog::kMaxFileBytes + 1));
        big.close();
        QVERIFY(!dialog.loadValueFromFile(big.fileName()).isEmpty());
        QCOMPARE(dialog.valueEdit()->toPlainText(), QStringLiteral("{\"from\": \"file\"}"));  // unchanged

        // "Open in producer" of a binary message keeps every byte of key, value and headers.
        const QByteArray bytes("\xff\x00\x10", 3);
        dialog.setMessage(bytes, bytes, {{"bin", bytes}, {"nil", std::nullopt}, {"txt", QByteArray("t")}}, 1);
        QVERIFY2(dialog.binaryNote()->text().contains("binary value, 3 bytes"),
                 qPrintable(dialog.binaryNote()->text()));
        const auto t = dialog.currentTemplate();
        QCOMPARE(t.key, std::optional<QByteArray>(bytes));
        QCOMPARE(t.value, std::optional<QByteArray>(bytes));
        QCOMPARE(t.headers.size(), 3);
        QCOMPARE(t.headers[0].second, std::optional<QByteArray>(bytes));
        QVERIFY(!t.headers[1].second.has_value());
        QCOMPARE(t.headers[2].second, std::optional<QByteArray>("t"));
        QCOMPARE(t.partition, 1);
        // A null value is a tombstone.
        dialog.setMessage(std::nullopt, std::nullopt, {}, -1);
        QVERIFY(dialog.nullKeyCheck()->isChecked());
        QVERIFY(dialog.nullValueCheck()->isChecked());
        QVERIFY(!dialog.currentTemplate().value.has_value());
        QCOMPARE(dialog.partitionCombo()->currentData().toInt(), -1);
    }

    // Last: a broker of its own, stopped while the dialog is open.
    void brokerDownIsReported() {
        QTemporaryDir dir;
        PartitadProcess broker(dir.path());
        QVERIFY(broker.start());
        ClusterSession session(tests::clientConfig(broker.bootstrap()));
        session.setRefreshInterval(60000);
        QVERIFY2(tests::createTopic(*session.admin(), "payments", 1).isEmpty(), "createTopic");
        session.refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(session.snapshot() && session.snapshot()->findTopic("payments"), 30000);

        ProducerDialog dialog(&session, "payments");
        dialog.show();
        dialog.valueEdit()->setPlainText("first");
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.resultsTable()->rowCount(), 1, 30000);
        QCOMPARE(resultText(dialog, 0, ProduceResultsTable::OffsetColumn), QStringLiteral("0"));
        QTRY_VERIFY(dialog.sendButton()->isEnabled());

        broker.stop();
        dialog.valueEdit()->setPlainText("second");
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        // While it waits, the dialog keeps answering (this loop runs its event loop).
        QTRY_COMPARE_WITH_TIMEOUT(dialog.resultsTable()->rowCount(), 2, 120000);
        const QString error = resultText(dialog, 1, ProduceResultsTable::OutcomeColumn);
        QVERIFY(!error.isEmpty());
        QCOMPARE(resultText(dialog, 1, ProduceResultsTable::OffsetColumn), QString());
        QVERIFY2(dialog.summaryLabel()->text().startsWith("Not delivered"), qPrintable(dialog.summaryLabel()->text()));
        QTRY_VERIFY(dialog.sendButton()->isEnabled());
    }
};

QTEST_MAIN(ProducerDialogTest)
#include "producerdialog_test.moc"
