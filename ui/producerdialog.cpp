// ProducerDialog: the producer's fields, templates, bulk progress and results over
// models::MessageProducer.
#include "ui/producerdialog.h"

#include "models/clustersession.h"
#include "models/clustersnapshot.h"
#include "models/messageproducer.h"
#include "models/valuegenerator.h"
#include "ui/headerseditor.h"
#include "ui/messagebrowserpanel.h"
#include "ui/produceresultstable.h"
#include "ui/utctoggle.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <random>

namespace partita::ui {

using models::MessageProducer;
using models::MessageTemplate;
using models::MessageTemplateStore;
using models::ValueGenerator;

namespace {

const QStringList kCodecs = {QStringLiteral("none"), QStringLiteral("gzip"), QStringLiteral("snappy"),
                             QStringLiteral("lz4"), QStringLiteral("zstd")};

}  // namespace

ProducerDialog::ProducerDialog(models::ClusterSession* session, const QString& topic, QWidget* parent)
    : QDialog(parent), m_session(session), m_producer(new MessageProducer(session, this)) {
    setWindowTitle(tr("Produce messages"));
    setModal(false);
    m_confirmInternal = [this](const QString& name) {
        return QMessageBox::warning(this, tr("Internal topic"),
                                    tr("%1 is an internal topic of the cluster. Producing to it can break "
                                       "consumer groups or transactions. Send anyway?")
                                        .arg(name),
                                    QMessageBox::Yes | QMessageBox::No, QMessageBox::No) == QMessageBox::Yes;
    };

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(buildMessage());
    splitter->addWidget(buildSettings());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto* vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(splitter);
    vertical->addWidget(buildResults());
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(vertical);

    connect(m_producer, &MessageProducer::sent, this, [this](const MessageProducer::SendResult& r) {
        // Bulk results count within the bulk ({{counter}} + 1), single sends across the dialog.
        m_results->addResult(m_bulkRunning ? r.index + 1 : ++m_singleSends, r.partition, r.offset, r.timestamp,
                             r.error);
        if (!m_bulkRunning && m_singleInFlight) {
            m_singleInFlight = false;
            m_summary->setText(r.error.isEmpty()
                                   ? tr("Delivered to partition %1 at offset %2.").arg(r.partition).arg(r.offset)
                                   : tr("Not delivered: %1").arg(r.error));
            updateButtons();
        }
    });
    connect(m_producer, &MessageProducer::bulkProgress, this,
            [this](qint64, qint64 delivered, qint64 failed, qint64 total) { onProgress(delivered, failed, total); });
    connect(m_producer, &MessageProducer::bulkFinished, this, &ProducerDialog::onBulkFinished);
    connect(m_session, &models::ClusterSession::snapshotReady, this, &ProducerDialog::applySnapshot);

    if (auto snapshot = m_session->snapshot()) applySnapshot(*snapshot);
    m_topic->setCurrentText(topic);
    topicChanged();
    validate();
    resize(1100, 760);
}

ProducerDialog::~ProducerDialog() = default;

QWidget* ProducerDialog::buildMessage() {
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* keyRow = new QHBoxLayout;
    m_key = new QLineEdit(box);
    m_key->setPlaceholderText(tr("Key (empty string unless null)"));
    m_key->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_nullKey = new QCheckBox(tr("null key"), box);
    keyRow->addWidget(new QLabel(tr("Key:"), box));
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_nullKey);
    layout->addLayout(keyRow);

    auto* valueBar = new QHBoxLayout;
    m_json = new QCheckBox(tr("Value is JSON"), box);
    m_formatJson = new QPushButton(tr("Format JSON"), box);
    m_loadFile = new QPushButton(tr("Load value from file…"), box);
    m_nullValue = new QCheckBox(tr("null value (tombstone)"), box);
    valueBar->addWidget(new QLabel(tr("Value:"), box));
    valueBar->addWidget(m_json);
    valueBar->addWidget(m_formatJson);
    valueBar->addStretch();
    valueBar->addWidget(m_loadFile);
    valueBar->addWidget(m_nullValue);
    layout->addLayout(valueBar);

    m_valueStack = new QStackedWidget(box);
    m_value = new QPlainTextEdit(box);
    m_value->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_value->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_value->setPlaceholderText(tr("Value; placeholders such as {{counter}} are expanded per message"));
    m_valueStack->addWidget(m_value);
    auto* binaryPage = new QWidget(box);
    auto* binaryLayout = new QVBoxLayout(binaryPage);
    m_binaryNote = new QLabel(binaryPage);
    m_binaryNote->setWordWrap(true);
    auto* discard = new QPushButton(tr("Discard and type a value"), binaryPage);
    binaryLayout->addStretch();
    binaryLayout->addWidget(m_binaryNote, 0, Qt::AlignCenter);
    binaryLayout->addWidget(discard, 0, Qt::AlignCenter);
    binaryLayout->addStretch();
    m_valueStack->addWidget(binaryPage);
    layout->addWidget(m_valueStack, 3);

    m_error = new QLabel(box);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    layout->addWidget(m_error);

    auto* headersBox = new QGroupBox(tr("Headers"), box);
    auto* headersLayout = new QVBoxLayout(headersBox);
    m_headers = new HeadersEditor(headersBox);
    headersLayout->addWidget(m_headers);
    layout->addWidget(headersBox, 1);

    connect(m_nullKey, &QCheckBox::toggled, this, [this](bool null) {
        m_key->setEnabled(!null);
        validate();
    });
    connect(m_key, &QLineEdit::textEdited, this, [this] {
        m_keyBytes.reset();  // typing replaces a binary key
        validate();
    });
    connect(m_nullValue, &QCheckBox::toggled, this, [this](bool null) {
        m_valueStack->setEnabled(!null);
        validate();
    });
    m_validateLater = new QTimer(this);
    m_validateLater->setSingleShot(true);
    m_validateLater->setInterval(300);
    connect(m_validateLater, &QTimer::timeout, this, &ProducerDialog::validate);
    connect(m_value, &QPlainTextEdit::textChanged, this, [this] {
        if (m_value->document()->characterCount() < 64 * 1024) return validate();
        m_send->setEnabled(false);  // until the pending validation has run
        m_validateLater->start();
    });
    connect(m_json, &QCheckBox::clicked, this, [this](bool json) {
        // Only the user's toggle marks the topic; a loaded template does not.
        if (!topic().isEmpty()) MessageTemplateStore(topic()).setTopicIsJson(json);
    });
    connect(m_json, &QCheckBox::toggled, this, &ProducerDialog::validate);
    connect(m_formatJson, &QPushButton::clicked, this, &ProducerDialog::formatJson);
    connect(m_loadFile, &QPushButton::clicked, this, &ProducerDialog::chooseFile);
    connect(discard, &QPushButton::clicked, this, [this] { setValueBytes(QByteArray()); });
    connect(m_headers, &HeadersEditor::changed, this, &ProducerDialog::validate);
    return box;
}

QWidget* ProducerDialog::buildSettings() {
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* target = new QGroupBox(tr("Destination"), box);
    auto* form = new QFormLayout(target);
    m_topic = new QComboBox(target);
    m_topic->setEditable(true);
    m_topic->setInsertPolicy(QComboBox::NoInsert);
    m_partition = new QComboBox(target);
    m_partition->addItem(tr("Default partitioner"), -1);
    form->addRow(tr("Topic:"), m_topic);
    form->addRow(tr("Partition:"), m_partition);

    auto* timeRow = new QHBoxLayout;
    m_customTime = new QCheckBox(tr("Custom"), target);
    m_time = new QDateTimeEdit(QDateTime::currentDateTime(), target);
    m_time->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    m_time->setCalendarPopup(true);
    m_time->setEnabled(false);
    m_utc = new QCheckBox(tr("UTC"), target);
    m_utc->setEnabled(false);
    timeRow->addWidget(m_customTime);
    timeRow->addWidget(m_time, 1);
    timeRow->addWidget(m_utc);
    form->addRow(tr("Timestamp:"), timeRow);
    m_codec = new QComboBox(target);
    m_codec->addItems(kCodecs);
    form->addRow(tr("Compression:"), m_codec);
    m_acks = new QComboBox(target);
    m_acks->addItem(tr("all"), -1);
    m_acks->addItem(QStringLiteral("1"), 1);
    m_acks->addItem(QStringLiteral("0"), 0);
    form->addRow(tr("Acks:"), m_acks);
    layout->addWidget(target);

    auto* templatesBox = new QGroupBox(tr("Templates of this topic"), box);
    auto* templatesRow = new QHBoxLayout(templatesBox);
    m_templates = new QComboBox(templatesBox);
    m_templates->setPlaceholderText(tr("(none saved)"));
    m_saveTemplate = new QPushButton(tr("Save as…"), templatesBox);
    m_deleteTemplate = new QPushButton(tr("Delete"), templatesBox);
    templatesRow->addWidget(m_templates, 1);
    templatesRow->addWidget(m_saveTemplate);
    templatesRow->addWidget(m_deleteTemplate);
    layout->addWidget(templatesBox);

    auto* bulkBox = new QGroupBox(tr("Bulk"), box);
    auto* bulkLayout = new QVBoxLayout(bulkBox);
    auto* countRow = new QHBoxLayout;
    m_count = new QSpinBox(bulkBox);
    m_count->setRange(1, 100'000'000);
    m_count->setGroupSeparatorShown(true);
    countRow->addWidget(new QLabel(tr("Count:"), bulkBox));
    countRow->addWidget(m_count, 1);
    bulkLayout->addLayout(countRow);
    auto* help = new QLabel(tr("Placeholders in key, value and header values: {{counter}} (0, 1, 2, …; "
                               "{{counter:1000}} starts at 1000), {{uuid}}, {{now}} (ms) or {{now:iso}}, "
                               "{{random:a|b}} (one of), {{random:1..100}} (a number). {{{{ is a literal {{."),
                            bulkBox);
    help->setWordWrap(true);
    help->setEnabled(false);  // the disabled palette reads as a hint
    bulkLayout->addWidget(help);
    layout->addWidget(bulkBox);
    layout->addStretch();

    connect(m_topic, &QComboBox::currentTextChanged, this, &ProducerDialog::topicChanged);
    connect(m_customTime, &QCheckBox::toggled, this, [this](bool custom) {
        m_time->setEnabled(custom);
        m_utc->setEnabled(custom);
    });
    connect(m_utc, &QCheckBox::toggled, this, &ProducerDialog::setUtc);
    connect(m_templates, &QComboBox::activated, this, &ProducerDialog::loadSelectedTemplate);
    connect(m_saveTemplate, &QPushButton::clicked, this, &ProducerDialog::askTemplateName);
    connect(m_deleteTemplate, &QPushButton::clicked, this, &ProducerDialog::deleteTemplate);
    connect(m_count, &QSpinBox::valueChanged, this, &ProducerDialog::updateButtons);
    return box;
}

QWidget* ProducerDialog::buildResults() {
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* sendRow = new QHBoxLayout;
    m_send = new QPushButton(tr("Send"), box);
    m_send->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), box);
    m_cancel->setEnabled(false);
    m_progress = new QProgressBar(box);
    m_progress->setFormat(tr("%v / %m"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_rate = new QLabel(box);
    m_rate->setMinimumWidth(120);
    sendRow->addWidget(m_send);
    sendRow->addWidget(m_cancel);
    sendRow->addWidget(m_progress, 1);
    sendRow->addWidget(m_rate);
    sendRow->addStretch();
    layout->addLayout(sendRow);

    m_summary = new QLabel(box);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    m_results = new ProduceResultsTable(box);
    layout->addWidget(m_results, 1);

    connect(m_send, &QPushButton::clicked, this, &ProducerDialog::send);
    connect(m_cancel, &QPushButton::clicked, this, &ProducerDialog::cancel);
    return box;
}

void ProducerDialog::applySnapshot(const models::ClusterSnapshot& snapshot) {
    QStringList names;
    for (const auto& t : snapshot.topics) names << t.name;
    QStringList current;
    for (int i = 0; i < m_topic->count(); ++i) current << m_topic->itemText(i);
    if (names != current) {
        const QString text = m_topic->currentText();
        QSignalBlocker block(m_topic);
        m_topic->clear();
        m_topic->addItems(names);
        m_topic->setCurrentText(text);
    }
    const models::TopicInfo* info = snapshot.findTopic(topic());
    const int count = info ? int(info->partitions.size()) : 0;
    if (count != m_partitionCount) fillPartitions(m_partition->currentData().toInt());
}

void ProducerDialog::fillPartitions(int keep) {
    const auto snapshot = m_session->snapshot();
    const models::TopicInfo* info = snapshot ? snapshot->findTopic(topic()) : nullptr;
    m_partitionCount = info ? int(info->partitions.size()) : 0;
    QSignalBlocker block(m_partition);
    while (m_partition->count() > 1) m_partition->removeItem(1);
    for (int p = 0; p < m_partitionCount; ++p) m_partition->addItem(QString::number(p), p);
    selectPartition(keep);
}

void ProducerDialog::selectPartition(int partition) {
    int index = m_partition->findData(partition);
    if (index < 0 && partition >= 0) {
        // A partition the cluster does not list (yet): kept, the send reports what the broker says.
        m_partition->addItem(tr("%1 (not in the topic)").arg(partition), partition);
        index = m_partition->count() - 1;
    }
    m_partition->setCurrentIndex(index < 0 ? 0 : index);
}

void ProducerDialog::topicChanged() {
    const QString name = topic();
    if (name == m_shownTopic) return;
    m_shownTopic = name;
    fillPartitions(-1);
    refreshTemplates();
    {
        QSignalBlocker block(m_json);
        m_json->setChecked(!name.isEmpty() && MessageTemplateStore(name).topicIsJson());
    }
    validate();
}

void ProducerDialog::refreshTemplates(const QString& select) {
    const QStringList names = topic().isEmpty() ? QStringList() : MessageTemplateStore(topic()).names();
    QSignalBlocker block(m_templates);
    m_templates->clear();
    m_templates->addItems(names);
    m_templates->setCurrentIndex(names.indexOf(select));
    m_templates->setEnabled(!names.isEmpty());
    m_deleteTemplate->setEnabled(!names.isEmpty());
}

void ProducerDialog::loadSelectedTemplate() {
    const QString name = m_templates->currentText();
    if (name.isEmpty() || topic().isEmpty()) return;
    if (auto t = MessageTemplateStore(topic()).load(name)) applyTemplate(*t);
}

void ProducerDialog::askTemplateName() {
    if (topic().isEmpty()) return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save template"), tr("Template name for %1:").arg(topic()),
                                               QLineEdit::Normal, m_templates->currentText(), &ok)
                             .trimmed();
    if (ok && !name.isEmpty()) saveTemplate(name);
}

void ProducerDialog::saveTemplate(const QString& name) {
    if (topic().isEmpty() || name.isEmpty()) return;
    MessageTemplate t = currentTemplate();
    t.name = name;
    MessageTemplateStore(topic()).save(t);
    refreshTemplates(name);
}

void ProducerDialog::deleteTemplate() {
    const QString name = m_templates->currentText();
    if (name.isEmpty() || topic().isEmpty()) return;
    MessageTemplateStore(topic()).remove(name);
    refreshTemplates();
}

QString ProducerDialog::topic() const {
    return m_topic->currentText().trimmed();
}

bool ProducerDialog::isSending() const {
    return m_singleInFlight || m_bulkRunning;
}

void ProducerDialog::setConfirmInternal(std::function<bool(const QString&)> confirm) {
    m_confirmInternal = std::move(confirm);
}

void ProducerDialog::setKeyBytes(const std::optional<QByteArray>& key) {
    QSignalBlocker block(m_nullKey);
    m_nullKey->setChecked(!key.has_value());
    m_key->setEnabled(key.has_value());
    m_keyBytes.reset();
    m_key->clear();
    m_key->setPlaceholderText(tr("Key (empty string unless null)"));
    if (!key) return;
    if (auto text = MessageBrowserPanel::printableText(*key)) {
        m_key->setText(*text);
    } else {
        m_keyBytes = key;
        m_key->setPlaceholderText(tr("binary key, %n byte(s) (type to replace)", nullptr, int(key->size())));
    }
}

void ProducerDialog::setValueBytes(const std::optional<QByteArray>& value, bool fromFile) {
    {
        QSignalBlocker block(m_nullValue);
        m_nullValue->setChecked(!value.has_value());
        m_valueStack->setEnabled(value.has_value());
    }
    m_valueBytes.reset();
    const QByteArray bytes = value.value_or(QByteArray());
    if (auto text = MessageBrowserPanel::printableText(bytes)) {
        m_valueStack->setCurrentWidget(m_value);
        m_value->setPlainText(*text);
    } else {
        // A binary value in a text editor would be garbled (and re-encoded on send).
        m_valueBytes = bytes;
        m_value->clear();
        const QString size = QLocale().toString(bytes.size());
        m_binaryNote->setText(fromFile ? tr("binary file, %1 bytes — sent exactly as loaded").arg(size)
                                       : tr("binary value, %1 bytes — sent exactly as it was").arg(size));
        m_valueStack->setCurrentIndex(1);
    }
    validate();
}

void ProducerDialog::setMessage(const std::optional<QByteArray>& key, const std::optional<QByteArray>& value,
                                const QList<QPair<QString, std::optional<QByteArray>>>& headers, int partition) {
    setKeyBytes(key);
    setValueBytes(value);
    m_headers->setHeaders(headers);
    selectPartition(partition);
    validate();
}

QString ProducerDialog::loadValueFromFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return tr("Cannot read %1: %2").arg(path, file.errorString());
    if (file.size() > kMaxFileBytes)
        return tr("%1 is %2 bytes; the producer loads files up to %3 bytes.")
            .arg(QFileInfo(path).fileName(), QLocale().toString(file.size()), QLocale().toString(kMaxFileBytes));
    setValueBytes(file.readAll(), true);
    return {};
}

void ProducerDialog::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Load value from file"));
    if (path.isEmpty()) return;
    if (const QString error = loadValueFromFile(path); !error.isEmpty())
        QMessageBox::warning(this, tr("Load value from file"), error);
}

void ProducerDialog::setUtc(bool utc) {
    showInUtc(m_time, utc);
}

MessageTemplate ProducerDialog::currentTemplate() const {
    MessageTemplate t;
    t.name = m_templates->currentText();
    if (!m_nullKey->isChecked()) t.key = m_keyBytes ? *m_keyBytes : m_key->text().toUtf8();
    if (!m_nullValue->isChecked()) t.value = m_valueBytes ? *m_valueBytes : m_value->toPlainText().toUtf8();
    t.headers = m_headers->headers();
    t.partition = m_partition->currentData().toInt();
    t.timestamp = m_customTime->isChecked() ? m_time->dateTime().toMSecsSinceEpoch() : -1;
    t.codec = m_codec->currentText();
    t.acks = m_acks->currentData().toInt();
    t.valueIsJson = m_json->isChecked();
    return t;
}

void ProducerDialog::applyTemplate(const MessageTemplate& t) {
    setKeyBytes(t.key);
    setValueBytes(t.value);
    m_headers->setHeaders(t.headers);
    selectPartition(t.partition);
    m_customTime->setChecked(t.timestamp >= 0);
    if (t.timestamp >= 0) {
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(t.timestamp);
        m_time->setDateTime(m_utc->isChecked() ? at.toUTC() : at.toLocalTime());
    }
    m_codec->setCurrentIndex(std::max<int>(0, int(kCodecs.indexOf(t.codec))));
    m_acks->setCurrentIndex(std::max(0, m_acks->findData(t.acks)));
    m_json->setChecked(t.valueIsJson);
    validate();
}

void ProducerDialog::validate() {
    m_validateLater->stop();
    QString problem;
    if (!m_nullKey->isChecked() && !m_keyBytes) {
        QString error;
        if (!ValueGenerator::parse(m_key->text().toUtf8(), &error)) problem = tr("Key: %1").arg(error);
    }
    if (problem.isEmpty() && !m_nullValue->isChecked() && !m_valueBytes) {
        const QByteArray value = m_value->toPlainText().toUtf8();
        QString error;
        const auto generator = ValueGenerator::parse(value, &error);
        if (!generator) {
            problem = tr("Value: %1").arg(error);
        } else if (m_json->isChecked()) {
            // Placeholders are checked as the first message expands them ({"id": {{counter}}}).
            std::mt19937_64 rng(0);
            const QString invalid = ValueGenerator::validateJson(generator->expand(0, rng));
            if (!invalid.isEmpty()) problem = tr("Invalid JSON: %1").arg(invalid);
        }
    }
    if (problem.isEmpty()) {
        for (const auto& [name, value] : m_headers->headers()) {
            QString error;
            if (value && !ValueGenerator::parse(*value, &error)) {
                problem = tr("Header %1: %2").arg(name, error);
                break;
            }
        }
    }
    m_valid = problem.isEmpty();
    m_error->setText(problem);
    m_error->setVisible(!m_valid);
    m_formatJson->setEnabled(!m_nullValue->isChecked() && !m_valueBytes);
    updateButtons();
}

void ProducerDialog::updateButtons() {
    const qint64 count = m_count->value();
    m_send->setText(count > 1 ? tr("Send %1 messages").arg(QLocale().toString(count)) : tr("Send"));
    m_send->setEnabled(m_valid && !topic().isEmpty() && !isSending());
    m_cancel->setEnabled(m_bulkRunning);
    // Progress only means something for a bulk; a single send's result is its row.
    const bool bulk = count > 1 || m_bulkRunning;
    m_cancel->setVisible(bulk);
    m_progress->setVisible(bulk);
    m_rate->setVisible(bulk);
}

void ProducerDialog::formatJson() {
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(m_value->toPlainText().toUtf8(), &error);
    if (json.isNull()) {
        // With placeholders the text is not JSON yet; validate() already says what is wrong.
        m_error->setText(tr("Cannot format: %1").arg(ValueGenerator::validateJson(m_value->toPlainText().toUtf8())));
        m_error->show();
        return;
    }
    m_value->setPlainText(QString::fromUtf8(json.toJson(QJsonDocument::Indented)).trimmed());
}

void ProducerDialog::send() {
    validate();
    if (!m_valid || isSending()) return;
    const QString name = topic();
    if (name.isEmpty()) return;
    const auto snapshot = m_session->snapshot();
    const models::TopicInfo* info = snapshot ? snapshot->findTopic(name) : nullptr;
    if (info && info->internal && m_confirmInternal && !m_confirmInternal(name)) {
        m_summary->setText(tr("Nothing sent to the internal topic %1.").arg(name));
        return;
    }
    const MessageTemplate t = currentTemplate();
    const qint64 count = m_count->value();
    QString error;
    m_summary->clear();
    if (count > 1) {
        m_bulkRunning = m_producer->sendBulk(name, t, count, &error);
        if (m_bulkRunning) {
            m_bulkClock.start();
            m_progress->setRange(0, int(count));
            m_progress->setValue(0);
            m_rate->clear();
            m_results->setRowCount(0);
        }
    } else {
        m_singleInFlight = m_producer->send(name, t, &error);
    }
    if (!error.isEmpty() && !isSending()) {
        m_results->addResult(++m_singleSends, t.partition, -1, -1, error);
        m_summary->setText(tr("Not sent: %1").arg(error));
    }
    updateButtons();
}

void ProducerDialog::reject() {
    cancel();
    QDialog::reject();
}

void ProducerDialog::cancel() {
    if (m_bulkRunning) m_producer->cancel();
}

void ProducerDialog::onProgress(qint64 delivered, qint64 failed, qint64 total) {
    m_progress->setMaximum(int(total));
    m_progress->setValue(int(delivered + failed));
    const qint64 ms = std::max<qint64>(1, m_bulkClock.elapsed());
    m_rate->setText(tr("%1 msg/s").arg(QLocale().toString(qint64(double(delivered) * 1000.0 / double(ms)))));
}

void ProducerDialog::onBulkFinished(qint64 delivered, qint64 failed, bool cancelled, const QString& firstError,
                                    qint64 elapsedMs) {
    m_bulkRunning = false;
    m_progress->setValue(int(std::min<qint64>(delivered + failed, m_progress->maximum())));
    const double seconds = double(elapsedMs) / 1000.0;
    if (elapsedMs > 0) m_rate->setText(tr("%1 msg/s").arg(QLocale().toString(qint64(double(delivered) / seconds))));
    QString summary = tr("%1 delivered, %2 failed in %3 s")
                          .arg(QLocale().toString(delivered), QLocale().toString(failed),
                               QLocale().toString(seconds, 'f', seconds < 10 ? 1 : 0));
    if (cancelled) summary += tr(" (cancelled)");
    if (!firstError.isEmpty()) summary += tr("; first error: %1").arg(firstError);
    m_summary->setText(summary);
    updateButtons();
}

}  // namespace partita::ui
