// CreateTopicDialog: Kafka's topic name rules checked as the user types, then the broker's own
// validation (CreateTopics with validateOnly) before the real creation.
#include "ui/createtopicdialog.h"

#include "models/topicoperations.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace partita::ui {

namespace {

// Kafka's Topic.MAX_NAME_LENGTH.
constexpr int kMaxNameLength = 249;

enum ConfigColumn { ConfigNameColumn, ConfigValueColumn };

bool legalChar(QChar c) {
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '.' || u == '_' ||
           u == '-';
}

QString errorHtml(const QString& text) {
    return QStringLiteral("<span style='color:#c62828'>%1</span>").arg(text.toHtmlEscaped());
}

QString warningHtml(const QString& text) {
    return QStringLiteral("<span style='color:#b26a00'>%1</span>").arg(text.toHtmlEscaped());
}

}  // namespace

QString CreateTopicDialog::nameProblem(const QString& name, const QStringList& existingTopics) {
    if (name.isEmpty()) return tr("Enter a topic name.");
    if (name == QLatin1String(".") || name == QLatin1String(".."))
        return tr("A topic cannot be named \".\" or \"..\".");
    if (name.size() > kMaxNameLength)
        return tr("The name is %1 characters long; Kafka allows at most %2.").arg(name.size()).arg(kMaxNameLength);
    QString bad;
    QStringList shown;  // what the user sees: a space or tab must be named, not printed invisibly
    for (QChar c : name) {
        if (legalChar(c) || bad.contains(c)) continue;
        bad += c;
        shown << (c == QLatin1Char(' ') ? tr("space") : c.isSpace() ? tr("whitespace") : QStringLiteral("'%1'").arg(c));
    }
    if (!bad.isEmpty())
        return tr("Only letters a-z and A-Z, digits, '.', '_' and '-' are allowed (not: %1).")
            .arg(shown.join(QStringLiteral(", ")));
    if (existingTopics.contains(name)) return tr("A topic named \"%1\" already exists.").arg(name);
    return {};
}

QString CreateTopicDialog::collidingTopic(const QString& name, const QStringList& existingTopics) {
    // Kafka's rule: '.' and '_' map to the same metric names, so "a.b" and "a_b" collide.
    QString folded = name;
    folded.replace(QLatin1Char('.'), QLatin1Char('_'));
    for (const QString& topic : existingTopics) {
        if (topic == name) continue;
        QString other = topic;
        other.replace(QLatin1Char('.'), QLatin1Char('_'));
        if (other == folded) return topic;
    }
    return {};
}

QStringList CreateTopicDialog::knownConfigNames() {
    return {QStringLiteral("cleanup.policy"),
            QStringLiteral("compression.type"),
            QStringLiteral("delete.retention.ms"),
            QStringLiteral("file.delete.delay.ms"),
            QStringLiteral("flush.messages"),
            QStringLiteral("flush.ms"),
            QStringLiteral("index.interval.bytes"),
            QStringLiteral("max.compaction.lag.ms"),
            QStringLiteral("max.message.bytes"),
            QStringLiteral("message.timestamp.difference.max.ms"),
            QStringLiteral("message.timestamp.type"),
            QStringLiteral("min.cleanable.dirty.ratio"),
            QStringLiteral("min.compaction.lag.ms"),
            QStringLiteral("min.insync.replicas"),
            QStringLiteral("preallocate"),
            QStringLiteral("retention.bytes"),
            QStringLiteral("retention.ms"),
            QStringLiteral("segment.bytes"),
            QStringLiteral("segment.index.bytes"),
            QStringLiteral("segment.jitter.ms"),
            QStringLiteral("segment.ms"),
            QStringLiteral("unclean.leader.election.enable")};
}

CreateTopicDialog::CreateTopicDialog(models::TopicOperations* operations, const QStringList& existingTopics,
                                     int brokerCount, QWidget* parent)
    : QDialog(parent),
      m_operations(operations),
      m_existing(existingTopics),
      m_name(new QLineEdit(this)),
      m_nameMessage(new QLabel(this)),
      m_partitions(new QSpinBox(this)),
      m_replication(new QSpinBox(this)),
      m_configs(new QTableWidget(0, 2, this)),
      m_addConfig(new QPushButton(tr("Add config"), this)),
      m_removeConfig(new QPushButton(tr("Remove config"), this)),
      m_brokerMessage(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this)),
      m_create(m_buttons->addButton(tr("Create"), QDialogButtonBox::AcceptRole)) {
    setWindowTitle(tr("New topic"));

    m_name->setPlaceholderText(tr("e.g. orders.v1"));
    m_name->setMaxLength(kMaxNameLength + 50);  // long enough to say "too long" rather than cut silently
    m_nameMessage->setWordWrap(true);
    m_nameMessage->setTextFormat(Qt::RichText);
    m_partitions->setRange(1, 100000);
    m_partitions->setValue(1);
    m_replication->setRange(1, std::max(1, brokerCount));
    m_replication->setValue(std::min(3, std::max(1, brokerCount)));
    m_replication->setToolTip(tr("At most the number of brokers (%1)").arg(brokerCount));

    auto* form = new QFormLayout;
    // The message sits under the name and takes no room while there is nothing to say.
    auto* nameColumn = new QVBoxLayout;
    nameColumn->setContentsMargins(0, 0, 0, 0);
    nameColumn->addWidget(m_name);
    nameColumn->addWidget(m_nameMessage);
    auto* nameLabel = new QLabel(tr("&Name:"), this);
    nameLabel->setBuddy(m_name);
    form->addRow(nameLabel, nameColumn);
    form->addRow(tr("&Partitions:"), m_partitions);
    form->addRow(tr("&Replication factor:"), m_replication);

    m_configs->setHorizontalHeaderLabels({tr("Config"), tr("Value")});
    m_configs->horizontalHeader()->setSectionResizeMode(ConfigNameColumn, QHeaderView::Stretch);
    m_configs->horizontalHeader()->setSectionResizeMode(ConfigValueColumn, QHeaderView::Stretch);
    m_configs->verticalHeader()->hide();
    m_configs->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_configs->setMinimumWidth(380);
    m_brokerMessage->setWordWrap(true);
    m_brokerMessage->setTextFormat(Qt::RichText);
    m_brokerMessage->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_brokerMessage->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_brokerMessage->setMinimumWidth(220);
    m_brokerMessage->setText(
        tr("Configs left out take the broker's defaults. The broker checks everything before "
           "the topic is created."));

    auto* tableButtons = new QHBoxLayout;
    tableButtons->addWidget(m_addConfig);
    tableButtons->addWidget(m_removeConfig);
    tableButtons->addStretch(1);
    auto* tableColumn = new QVBoxLayout;
    tableColumn->addWidget(m_configs, 1);
    tableColumn->addLayout(tableButtons);
    auto* configsRow = new QHBoxLayout;
    configsRow->addLayout(tableColumn, 3);
    configsRow->addWidget(m_brokerMessage, 2);
    auto* configsBox = new QGroupBox(tr("Configs"), this);
    configsBox->setLayout(configsRow);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(configsBox, 1);
    layout->addWidget(m_buttons);

    connect(m_name, &QLineEdit::textChanged, this, &CreateTopicDialog::validateLocally);
    connect(m_addConfig, &QPushButton::clicked, this, [this] {
        const int row = addConfig();
        if (auto* combo = qobject_cast<QComboBox*>(m_configs->cellWidget(row, ConfigNameColumn))) combo->setFocus();
    });
    connect(m_removeConfig, &QPushButton::clicked, this, [this] {
        const int row = m_configs->currentRow();
        if (row >= 0) m_configs->removeRow(row);
    });
    // Accepting runs the broker's checks first; the dialog closes only once the topic exists.
    connect(m_buttons, &QDialogButtonBox::accepted, this, &CreateTopicDialog::create);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validateLocally();
    resize(720, 480);
}

int CreateTopicDialog::addConfig(const QString& name, const QString& value) {
    const int row = m_configs->rowCount();
    m_configs->insertRow(row);
    auto* combo = new QComboBox(m_configs);
    combo->setEditable(true);
    combo->addItems(knownConfigNames());
    combo->setInsertPolicy(QComboBox::NoInsert);
    combo->completer()->setCompletionMode(QCompleter::PopupCompletion);
    combo->completer()->setFilterMode(Qt::MatchContains);
    combo->setEditText(name);
    auto* edit = new QLineEdit(value, m_configs);
    edit->setPlaceholderText(tr("value"));
    m_configs->setCellWidget(row, ConfigNameColumn, combo);
    m_configs->setCellWidget(row, ConfigValueColumn, edit);
    m_configs->setCurrentCell(row, ConfigNameColumn);
    return row;
}

QMap<QString, QString> CreateTopicDialog::configs() const {
    QMap<QString, QString> out;
    for (int row = 0; row < m_configs->rowCount(); ++row) {
        auto* combo = qobject_cast<QComboBox*>(m_configs->cellWidget(row, ConfigNameColumn));
        auto* edit = qobject_cast<QLineEdit*>(m_configs->cellWidget(row, ConfigValueColumn));
        if (!combo || !edit) continue;
        const QString name = combo->currentText().trimmed();
        if (!name.isEmpty()) out.insert(name, edit->text().trimmed());
    }
    return out;
}

void CreateTopicDialog::validateLocally() {
    const QString name = m_name->text();
    const QString problem = nameProblem(name, m_existing);
    if (!problem.isEmpty()) {
        // An empty field at first is not an error yet, just a prompt.
        m_nameMessage->setText(name.isEmpty() ? problem.toHtmlEscaped() : errorHtml(problem));
    } else if (const QString other = collidingTopic(name, m_existing); !other.isEmpty()) {
        m_nameMessage->setText(warningHtml(tr("Collides with the existing topic \"%1\": Kafka treats '.' and '_' "
                                              "alike in metric names, so the broker may refuse it.")
                                               .arg(other)));
    } else {
        m_nameMessage->clear();
    }
    m_nameMessage->setVisible(!m_nameMessage->text().isEmpty());
    m_create->setEnabled(problem.isEmpty() && !m_busy);
}

void CreateTopicDialog::setBusy(bool busy) {
    m_busy = busy;
    m_name->setEnabled(!busy);
    m_partitions->setEnabled(!busy);
    m_replication->setEnabled(!busy);
    m_configs->setEnabled(!busy);
    m_addConfig->setEnabled(!busy);
    m_removeConfig->setEnabled(!busy);
    validateLocally();
}

void CreateTopicDialog::showBrokerError(const QString& error) {
    m_brokerMessage->setText(
        QStringLiteral("<b>%1</b><br>%2").arg(tr("The broker refused:").toHtmlEscaped(), errorHtml(error)));
    // Point at the config rows the broker's message names.
    for (int row = 0; row < m_configs->rowCount(); ++row) {
        auto* combo = qobject_cast<QComboBox*>(m_configs->cellWidget(row, ConfigNameColumn));
        auto* edit = qobject_cast<QLineEdit*>(m_configs->cellWidget(row, ConfigValueColumn));
        if (!combo || !edit) continue;
        const QString name = combo->currentText().trimmed();
        const bool named = !name.isEmpty() && error.contains(name);
        edit->setStyleSheet(named ? QStringLiteral("QLineEdit { border: 2px solid #c62828; }") : QString());
        edit->setToolTip(named ? error : QString());
    }
}

void CreateTopicDialog::create() {
    if (m_busy || !nameProblem(m_name->text(), m_existing).isEmpty() || !m_operations) return;
    const QString name = m_name->text();
    const int partitions = m_partitions->value();
    const int replication = m_replication->value();
    const QMap<QString, QString> configs = this->configs();
    setBusy(true);
    m_brokerMessage->setText(tr("Checking with the broker…"));
    QPointer<CreateTopicDialog> self(this);
    m_operations->createTopic(name, partitions, replication, configs, true,
                              [self, name, partitions, replication, configs](const QString& error) {
                                  if (!self) return;
                                  if (!error.isEmpty()) {
                                      self->setBusy(false);
                                      self->showBrokerError(error);
                                      return;
                                  }
                                  self->m_brokerMessage->setText(tr("Creating…"));
                                  self->m_operations->createTopic(name, partitions, replication, configs, false,
                                                                  [self, name](const QString& error) {
                                                                      if (!self) return;
                                                                      self->setBusy(false);
                                                                      if (!error.isEmpty()) {
                                                                          self->showBrokerError(error);
                                                                          return;
                                                                      }
                                                                      emit self->topicCreated(name);
                                                                      self->accept();
                                                                  });
                              });
}

}  // namespace partita::ui
