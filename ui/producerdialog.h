// ProducerDialog: produce one message or a bulk of generated messages to a topic: key, value
// (text, JSON with live validation, or a file's bytes), headers, partition, timestamp, codec,
// acks, templates saved per topic, progress and the result of each send.
#pragma once

#include "models/messagetemplate.h"

#include <QByteArray>
#include <QDialog>
#include <QElapsedTimer>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTimer;

namespace partita::models {
class ClusterSession;
class MessageProducer;
struct ClusterSnapshot;
}  // namespace partita::models

namespace partita::ui {

class HeadersEditor;
class ProduceResultsTable;

class ProducerDialog : public QDialog {
    Q_OBJECT
public:
    // Files larger than this are refused: the value must fit a record (message.max.bytes).
    static constexpr qint64 kMaxFileBytes = 10 * 1024 * 1024;

    // The session must outlive the dialog. `topic` may be empty (the user picks one).
    ProducerDialog(models::ClusterSession* session, const QString& topic, QWidget* parent = nullptr);
    ~ProducerDialog() override;

    // Fills key, value, headers and partition from a message (the browser's "Open in producer");
    // values that are not printable text are kept as bytes and shown as a note.
    void setMessage(const std::optional<QByteArray>& key, const std::optional<QByteArray>& value,
                    const QList<QPair<QString, std::optional<QByteArray>>>& headers, int partition);
    // Asked before sending to an internal topic (default: a warning message box); false sends
    // nothing.
    void setConfirmInternal(std::function<bool(const QString& topic)> confirm);

    // What the fields say now, and the reverse (loading a template fills every field).
    models::MessageTemplate currentTemplate() const;
    void applyTemplate(const models::MessageTemplate& t);
    QString topic() const;
    // Reads a file into the value: empty, or why not (too large, unreadable). Binary content is
    // kept as bytes and shown as a note instead of in the editor.
    QString loadValueFromFile(const QString& path);
    // Saves the fields as a template of the current topic under `name` and selects it.
    void saveTemplate(const QString& name);
    bool isSending() const;

    // Widgets, for tests.
    QComboBox* topicCombo() const { return m_topic; }
    QComboBox* partitionCombo() const { return m_partition; }
    QLineEdit* keyEdit() const { return m_key; }
    QCheckBox* nullKeyCheck() const { return m_nullKey; }
    QPlainTextEdit* valueEdit() const { return m_value; }
    QCheckBox* nullValueCheck() const { return m_nullValue; }
    QLabel* binaryNote() const { return m_binaryNote; }
    QPushButton* loadFileButton() const { return m_loadFile; }
    QCheckBox* jsonCheck() const { return m_json; }
    QPushButton* formatJsonButton() const { return m_formatJson; }
    QLabel* errorLabel() const { return m_error; }
    HeadersEditor* headersEditor() const { return m_headers; }
    QCheckBox* customTimeCheck() const { return m_customTime; }
    QDateTimeEdit* timeEdit() const { return m_time; }
    QCheckBox* utcCheck() const { return m_utc; }
    QComboBox* codecCombo() const { return m_codec; }
    QComboBox* acksCombo() const { return m_acks; }
    QComboBox* templateCombo() const { return m_templates; }
    QPushButton* saveTemplateButton() const { return m_saveTemplate; }
    QPushButton* deleteTemplateButton() const { return m_deleteTemplate; }
    QSpinBox* countSpin() const { return m_count; }
    QPushButton* sendButton() const { return m_send; }
    QPushButton* cancelButton() const { return m_cancel; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* rateLabel() const { return m_rate; }
    QLabel* summaryLabel() const { return m_summary; }
    ProduceResultsTable* resultsTable() const { return m_results; }

    // Closing the dialog stops a running bulk (it would go on unseen otherwise).
    void reject() override;

public slots:
    // Sends one message, or countSpin() messages in bulk.
    void send();
    void cancel();
    void formatJson();

private:
    QWidget* buildMessage();
    QWidget* buildSettings();
    QWidget* buildResults();
    void applySnapshot(const models::ClusterSnapshot& snapshot);
    void topicChanged();
    void fillPartitions(int keep);
    void refreshTemplates(const QString& select = {});
    void loadSelectedTemplate();
    void askTemplateName();
    void deleteTemplate();
    void chooseFile();
    // `fromFile` only changes the note's wording.
    void setValueBytes(const std::optional<QByteArray>& value, bool fromFile = false);
    void setKeyBytes(const std::optional<QByteArray>& key);
    void selectPartition(int partition);
    void setUtc(bool utc);
    // Checks generators and JSON; shows the first problem and enables Send accordingly.
    void validate();
    void updateButtons();
    void onProgress(qint64 delivered, qint64 failed, qint64 total);
    void onBulkFinished(qint64 delivered, qint64 failed, bool cancelled, const QString& firstError, qint64 elapsedMs);

    models::ClusterSession* m_session;
    models::MessageProducer* m_producer;
    std::function<bool(const QString&)> m_confirmInternal;

    QComboBox* m_topic = nullptr;
    QComboBox* m_partition = nullptr;
    QLineEdit* m_key = nullptr;
    QCheckBox* m_nullKey = nullptr;
    QPlainTextEdit* m_value = nullptr;
    QCheckBox* m_nullValue = nullptr;
    QStackedWidget* m_valueStack = nullptr;
    QLabel* m_binaryNote = nullptr;
    QPushButton* m_loadFile = nullptr;
    QCheckBox* m_json = nullptr;
    QPushButton* m_formatJson = nullptr;
    QLabel* m_error = nullptr;
    HeadersEditor* m_headers = nullptr;
    QCheckBox* m_customTime = nullptr;
    QDateTimeEdit* m_time = nullptr;
    QCheckBox* m_utc = nullptr;
    QComboBox* m_codec = nullptr;
    QComboBox* m_acks = nullptr;
    QComboBox* m_templates = nullptr;
    QPushButton* m_saveTemplate = nullptr;
    QPushButton* m_deleteTemplate = nullptr;
    QSpinBox* m_count = nullptr;
    QPushButton* m_send = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_rate = nullptr;
    QLabel* m_summary = nullptr;
    ProduceResultsTable* m_results = nullptr;

    // Bytes that are not printable text (from a file or a browsed message): sent as they are
    // while set; the editor is hidden behind a note meanwhile.
    std::optional<QByteArray> m_valueBytes;
    std::optional<QByteArray> m_keyBytes;
    QString m_shownTopic;  // the topic whose partitions and templates are shown
    int m_partitionCount = -1;
    bool m_valid = false;
    bool m_singleInFlight = false;
    bool m_bulkRunning = false;
    qint64 m_singleSends = 0;
    QElapsedTimer m_bulkClock;
    // Large values are validated once typing pauses (parsing megabytes per keystroke lags).
    QTimer* m_validateLater = nullptr;
};

}  // namespace partita::ui
