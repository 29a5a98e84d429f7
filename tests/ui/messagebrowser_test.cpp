// Tests of the message browser panel against a real partitad: a 2,000-record JSON topic in two
// partitions plus a binary value with a null key, opened at "Last 500", the JSON tree and the hex
// view of the detail pane, older rows at the top, opening at an offset, follow mode, "Copy as
// kcat", and a screenshot.
#include "clienttestutil.h"
#include "partitadprocess.h"

#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"
#include "engine/client/producer.h"
#include "models/clustersession.h"
#include "models/clustersnapshot.h"
#include "models/messagemodel.h"
#include "models/messagetemplate.h"
#include "ui/messagebrowserpanel.h"
#include "ui/messageexportrunner.h"
#include "ui/messagesearchbar.h"
#include "ui/producerdialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

#include <memory>

using namespace partita;
using partita::models::ClusterSession;
using partita::models::MessageModel;
using partita::tests::PartitadProcess;
using partita::ui::MessageBrowserPanel;

namespace {

const char* kTopic = "events";
const int kRecords = 2000;
const std::string kBinary("\x00\x01\x02\xff\xfe\x7f binary", 13);

QByteArray bigJson() {
    QByteArray big = "{\"items\":[";
    while (big.size() < MessageBrowserPanel::kJsonTreeLimit + 1000) big += "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",";
    return big + "1]}";
}

std::string jsonOf(int i) {
    return "{\"id\":" + std::to_string(i) + ",\"user\":\"user-" + std::to_string(i) +
           "\",\"tags\":[\"a\",\"b\"],\"address\":{\"city\":\"Lyon\",\"zip\":\"69001\"},\"active\":true}";
}

// The view row of the first message matching `pick` (-1: none).
int viewRow(const MessageBrowserPanel& panel, const std::function<bool(const QModelIndex&)>& pick) {
    const auto* proxy = panel.proxy();
    for (int row = 0; row < proxy->rowCount(); ++row)
        if (pick(proxy->index(row, 0))) return row;
    return -1;
}

void select(MessageBrowserPanel& panel, int row) {
    panel.view()->setCurrentIndex(panel.proxy()->index(row, MessageModel::Value));
    panel.view()->scrollTo(panel.proxy()->index(row, MessageModel::Value));
}

QStringList topLevelKeys(const QTreeView* tree) {
    QStringList keys;
    const auto* model = tree->model();
    for (int row = 0; row < model->rowCount(); ++row) keys << model->index(row, 0).data().toString();
    return keys;
}

}  // namespace

class MessageBrowserTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<PartitadProcess> m_broker;
    std::unique_ptr<ClusterSession> m_session;

    QString produce(const std::vector<client::ProducerRecord>& records) {
        auto producer = client::Producer::create(m_session->client());
        if (!producer.ok()) return QString::fromStdString(producer.error().message);
        for (const auto& record : records) {
            Status queued = producer.value()->produce(record);
            while (!queued.ok()) {  // buffer full: let deliveries drain
                QTest::qWait(5);
                queued = producer.value()->produce(record);
            }
        }
        const Status flushed = tests::waitForStatus([&](auto done) { producer.value()->flush(std::move(done)); });
        return flushed.ok() ? QString() : QString::fromStdString(flushed.error().message);
    }

private slots:
    void initTestCase() {
        m_broker = std::make_unique<PartitadProcess>(m_dir.path());
        QVERIFY(m_broker->start({"num.partitions=2"}));
        m_session = std::make_unique<ClusterSession>(tests::clientConfig(m_broker->bootstrap()));
        m_session->setRefreshInterval(60000);
        QVERIFY(m_session->admin().has_value());
        const QString created = tests::createTopic(*m_session->admin(), kTopic, 2);
        QVERIFY2(created.isEmpty(), qPrintable(created));
        std::vector<client::ProducerRecord> records;
        for (int i = 0; i < kRecords; ++i)
            records.push_back(
                {.topic = kTopic, .partition = i % 2, .key = "k" + std::to_string(i), .value = jsonOf(i)});
        // A JSON value too large for a tree, then the last record of partition 0: binary, null
        // key, a null header.
        records.push_back({.topic = kTopic, .partition = 0, .key = "big", .value = bigJson().toStdString()});
        records.push_back({.topic = kTopic,
                           .partition = 0,
                           .key = std::nullopt,
                           .value = kBinary,
                           .headers = {{"trace", "abc"}, {"nil", std::nullopt}}});
        const QString produced = produce(records);
        QVERIFY2(produced.isEmpty(), qPrintable(produced));
        m_session->refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(m_session->snapshot() && m_session->snapshot()->findTopic(kTopic), 30000);
    }

    void cleanupTestCase() {
        m_session.reset();
        m_broker.reset();
    }

    void browseJsonBinaryOffsetAndFollow() {
        MessageBrowserPanel panel(m_session.get(), kTopic);
        panel.resize(1280, 820);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));

        // The toolbar knows the topic's partitions; the panel opened at "Last 500" by itself.
        QCOMPARE(panel.partitionCombo()->count(), 3);
        QCOMPARE(panel.startCombo()->currentData().toInt(), int(MessageBrowserPanel::LastN));
        QCOMPARE(panel.lastCountSpin()->value(), 500);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.model()->isLoading() && panel.proxy()->rowCount() >= 500, 60000);
        QVERIFY2(panel.statusLabel()->text().contains(QStringLiteral("loaded")),
                 qPrintable(panel.statusLabel()->text()));

        // A JSON row: the Value tab shows a tree whose top-level keys are the record's.
        const int jsonRow = viewRow(
            panel, [](const QModelIndex& i) { return i.data(MessageModel::KeyBytesRole).toByteArray() == "k1999"; });
        QVERIFY(jsonRow >= 0);
        select(panel, jsonRow);
        QCOMPARE(panel.valueShown(), static_cast<QWidget*>(panel.valueTree()));
        const QStringList expected = QJsonDocument::fromJson(QByteArray::fromStdString(jsonOf(1999))).object().keys();
        QStringList keys = topLevelKeys(panel.valueTree());
        keys.sort();
        QCOMPARE(keys, expected);
        QCOMPARE(panel.keyText()->toPlainText(), QStringLiteral("k1999"));

        // "View as: Hex" shows the same value as a hex dump; Auto returns to the tree.
        panel.valueViewCombo()->setCurrentIndex(MessageBrowserPanel::Hex);
        QCOMPARE(panel.valueShown(), static_cast<QWidget*>(panel.valueText()));
        QVERIFY(panel.valueText()->toPlainText().startsWith(QStringLiteral("00000000  7b 22 69 64")));
        panel.valueViewCombo()->setCurrentIndex(MessageBrowserPanel::Auto);
        QCOMPARE(panel.valueShown(), static_cast<QWidget*>(panel.valueTree()));

        // The screenshot with a JSON message selected.
        QTest::qWait(200);
        const QString shots = QStringLiteral(PARTITA_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(shots));
        QVERIFY(panel.grab().save(shots + "/messagebrowser.png"));

        // A JSON value over the tree limit is shown as text at once (a tree would freeze the GUI).
        const int bigRow = viewRow(
            panel, [](const QModelIndex& i) { return i.data(MessageModel::KeyBytesRole).toByteArray() == "big"; });
        QVERIFY(bigRow >= 0);
        select(panel, bigRow);
        QCOMPARE(panel.valueShown(), static_cast<QWidget*>(panel.valueText()));
        QVERIFY(panel.valueText()->toPlainText().startsWith(QStringLiteral("{\"items\"")));
        // As hex, only its head: 16 bytes a line up to the limit, and the note says so.
        panel.valueViewCombo()->setCurrentIndex(MessageBrowserPanel::Hex);
        QCOMPARE(panel.valueText()->blockCount() - 1, MessageBrowserPanel::kHexViewLimit / 16);
        QVERIFY2(panel.valueNote()->text().contains(QStringLiteral("the first")),
                 qPrintable(panel.valueNote()->text()));
        panel.valueViewCombo()->setCurrentIndex(MessageBrowserPanel::Auto);

        // The binary row: hex with an ASCII column, a null key, headers with a null value.
        const int binaryRow =
            viewRow(panel, [](const QModelIndex& i) { return i.data(MessageModel::KeyBytesRole).isNull(); });
        QVERIFY(binaryRow >= 0);
        select(panel, binaryRow);
        QCOMPARE(panel.valueShown(), static_cast<QWidget*>(panel.valueText()));
        const QString hex = panel.valueText()->toPlainText();
        QVERIFY2(hex.startsWith(QStringLiteral("00000000  00 01 02 ff fe 7f 20 62  69 6e 61 72 79")), qPrintable(hex));
        QVERIFY2(hex.trimmed().endsWith(QStringLiteral("...... binary")), qPrintable(hex));
        QCOMPARE(panel.keyText()->toPlainText(), QStringLiteral("(null)"));
        QCOMPARE(panel.headersTable()->rowCount(), 2);
        QCOMPARE(panel.headersTable()->item(0, 0)->text(), QStringLiteral("trace"));
        QCOMPARE(panel.headersTable()->item(0, 1)->text(), QStringLiteral("abc"));
        QCOMPARE(panel.headersTable()->item(1, 1)->text(), QStringLiteral("(null)"));
        QVERIFY(panel.grab().save(shots + "/messagebrowser-hex.png"));

        // "Copy as kcat": key<TAB>value, the binary value as hex.
        QVERIFY(panel.copyAsKcatAction()->isEnabled());
        panel.copyAsKcatAction()->trigger();
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("\t") + QString::fromLatin1(QByteArray::fromStdString(kBinary).toHex()) + "\n");

        // Scrolling to the very top loads older messages above.
        const int before = panel.proxy()->rowCount();
        panel.view()->scrollToBottom();
        QTRY_VERIFY(panel.view()->verticalScrollBar()->value() > 0);
        panel.view()->verticalScrollBar()->setValue(0);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.model()->isLoading() && panel.proxy()->rowCount() > before, 60000);

        // Partition 1 from offset 990: its last ten records.
        panel.partitionCombo()->setCurrentIndex(panel.partitionCombo()->findData(1));
        panel.startCombo()->setCurrentIndex(panel.startCombo()->findData(int(MessageBrowserPanel::AtOffset)));
        panel.offsetSpin()->setValue(990);
        QTest::mouseClick(panel.openButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.model()->isLoading() && panel.proxy()->rowCount() == 10, 60000);
        QCOMPARE(panel.proxy()->index(0, 0).data(MessageModel::OffsetRole).toLongLong(), 990);
        QCOMPARE(panel.proxy()->index(0, 0).data(MessageModel::KeyBytesRole).toByteArray(), QByteArray("k1981"));

        // Follow: a record produced afterwards shows up at the bottom.
        QTest::mouseClick(panel.followButton(), Qt::LeftButton);
        QVERIFY(panel.model()->isFollowing());
        const QString produced =
            produce({{.topic = kTopic, .partition = 1, .key = "late", .value = "{\"late\":true}"}});
        QVERIFY2(produced.isEmpty(), qPrintable(produced));
        QTRY_COMPARE_WITH_TIMEOUT(panel.proxy()->rowCount(), 11, 30000);
        QCOMPARE(panel.proxy()->index(10, 0).data(MessageModel::KeyBytesRole).toByteArray(), QByteArray("late"));
        // Pausing stops the tail.
        QTest::mouseClick(panel.followButton(), Qt::LeftButton);
        QVERIFY(!panel.model()->isFollowing());
    }

    void searchFromTheSearchBar() {
        MessageBrowserPanel panel(m_session.get(), kTopic);
        panel.resize(1280, 820);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QTRY_VERIFY_WITH_TIMEOUT(!panel.model()->isLoading(), 60000);
        auto* bar = panel.searchBar();

        // A bad expression says where it is wrong and cannot be run.
        bar->expressionEdit()->setText(QStringLiteral("$.id >"));
        QVERIFY(!bar->searchButton()->isEnabled());
        QTest::keyClick(bar->expressionEdit(), Qt::Key_Return);
        QVERIFY(!panel.model()->inSearchMode());

        // From the beginning, a JSON comparison: exactly the matches, with the counts.
        panel.startCombo()->setCurrentIndex(panel.startCombo()->findData(MessageBrowserPanel::Beginning));
        bar->expressionEdit()->setText(QStringLiteral("$.id < 25 and $.address.city == \"Lyon\""));
        QVERIFY(bar->searchButton()->isEnabled());
        QTest::keyClick(bar->expressionEdit(), Qt::Key_Return);
        QVERIFY(panel.model()->inSearchMode());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.model()->isSearching(), 60000);
        QCOMPARE(panel.proxy()->rowCount(), 25);
        QVERIFY2(bar->statsLabel()->text().contains(QStringLiteral("25 matched")),
                 qPrintable(bar->statsLabel()->text()));
        // Every message of the topic was looked at (the follow test above added some).
        const quint64 scanned = panel.model()->searchStats().scanned;
        QVERIFY(scanned >= quint64(kRecords + 2));
        QVERIFY2(bar->statsLabel()->text().contains(QLocale().toString(scanned) + QStringLiteral(" scanned")),
                 qPrintable(bar->statsLabel()->text()));
        QVERIFY2(panel.statusLabel()->text().contains(QStringLiteral("25 matches shown")),
                 qPrintable(panel.statusLabel()->text()));
        QVERIFY(!panel.followButton()->isEnabled());
        // The detail pane works on results as on browsed messages.
        select(panel, 0);
        QCOMPARE(panel.valueShown(), static_cast<QWidget*>(panel.valueTree()));
        QTest::qWait(200);
        QVERIFY(panel.grab().save(QStringLiteral(PARTITA_SCREENSHOT_DIR) + "/messagebrowser-search.png"));

        // "Open in producer" carries the message over to resend or edit it.
        QVERIFY(panel.openInProducerAction()->isEnabled());
        const QModelIndex current = panel.view()->currentIndex();
        ui::ProducerDialog* producer = panel.openCurrentInProducer();
        QVERIFY(producer);
        const models::MessageTemplate carried = producer->currentTemplate();
        QCOMPARE(carried.key, std::optional<QByteArray>(current.data(MessageModel::KeyBytesRole).toByteArray()));
        QCOMPARE(carried.value, std::optional<QByteArray>(current.data(MessageModel::ValueBytesRole).toByteArray()));
        QCOMPARE(carried.partition, current.data(MessageModel::PartitionRole).toInt());
        QCOMPARE(producer->topic(), QString::fromLatin1(kTopic));
        producer->close();

        // Export: the selected message, then every match of the search (run again, no row limit).
        QTemporaryDir out;
        QString chosen;
        panel.exporter()->setFileChooser([&](const QString& suggested) {
            return suggested.endsWith(QStringLiteral("events.jsonl")) ? chosen : QString();
        });
        auto lines = [](const QString& path) {
            QFile file(path);
            return file.open(QIODevice::ReadOnly) ? file.readAll().count('\n') : qsizetype(-1);
        };
        chosen = out.filePath("one.jsonl");
        QVERIFY(panel.exportSelectedAction()->isEnabled());
        panel.exportSelectedAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(panel.statusLabel()->text().contains(QStringLiteral("Exported 1 message")), 30000);
        QCOMPARE(lines(chosen), qsizetype(1));
        chosen = out.filePath("all.csv");
        QVERIFY(panel.exportSearchAction()->isEnabled());
        panel.exportSearchAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(panel.statusLabel()->text().contains(QStringLiteral("Exported 25 messages")), 30000);
        QCOMPARE(lines(chosen), qsizetype(26));  // CSV: a header row
        QVERIFY(!QFile::exists(chosen + ".part"));

        // Open goes back to browsing.
        panel.openButton()->click();
        QVERIFY(!panel.exportSearchAction()->isEnabled());
        QVERIFY(!panel.model()->inSearchMode());
        QVERIFY(panel.followButton()->isEnabled());
        QVERIFY(bar->statsLabel()->text().isEmpty());
    }

    void severalChosenPartitions() {
        const QString created = tests::createTopic(*m_session->admin(), "wide", 4);
        QVERIFY2(created.isEmpty(), qPrintable(created));
        std::vector<client::ProducerRecord> records;
        for (int i = 0; i < 40; ++i)
            records.push_back(
                {.topic = "wide", .partition = i % 4, .key = "w" + std::to_string(i), .value = jsonOf(i)});
        const QString produced = produce(records);
        QVERIFY2(produced.isEmpty(), qPrintable(produced));
        m_session->refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(m_session->snapshot() && m_session->snapshot()->findTopic("wide"), 30000);

        MessageBrowserPanel panel(m_session.get(), "wide");
        QTRY_VERIFY_WITH_TIMEOUT(!panel.model()->isLoading(), 60000);
        QCOMPARE(panel.model()->rowCount(), 40);
        QVERIFY(panel.partitionCombo()->findText(QStringLiteral("Several…")) >= 0);
        panel.setChosenPartitions({3, 1});
        QCOMPARE(panel.partitionCombo()->currentText(), QStringLiteral("Partitions 1, 3"));
        panel.openMessages();
        QTRY_VERIFY_WITH_TIMEOUT(!panel.model()->isLoading() && panel.model()->rowCount() > 0, 60000);
        QCOMPARE(panel.model()->rowCount(), 20);
        for (int row = 0; row < panel.model()->rowCount(); ++row) {
            const int partition = panel.model()->index(row, 0).data(MessageModel::PartitionRole).toInt();
            QVERIFY(partition == 1 || partition == 3);
        }
        // One partition or all of them are ordinary choices again.
        panel.setChosenPartitions({2});
        QCOMPARE(panel.partitionCombo()->currentData().toInt(), 2);
        QCOMPARE(panel.partitionCombo()->findText(QStringLiteral("Partitions 1, 3")), -1);
        panel.setChosenPartitions({0, 1, 2, 3});
        QCOMPARE(panel.partitionCombo()->currentIndex(), 0);
    }

    void helpers() {
        QStandardItemModel tree;
        MessageBrowserPanel::fillJsonTree(&tree, QJsonDocument::fromJson(R"({"a":1,"b":[1,2],"c":{"d":null}})"));
        QCOMPARE(tree.rowCount(), 3);
        QCOMPARE(tree.item(1, 1)->text(), QStringLiteral("[2]"));
        QCOMPARE(tree.item(2)->child(0, 1)->text(), QStringLiteral("null"));
        QVERIFY(!MessageBrowserPanel::printableText(QByteArray("\x00", 1)).has_value());
        QCOMPARE(MessageBrowserPanel::kcatLine(QByteArray("k"), std::nullopt), QStringLiteral("k\t"));
    }
};

QTEST_MAIN(MessageBrowserTest)
#include "messagebrowser_test.moc"
