// AddPartitionsDialog: a spin box bounded below by the current count, and the broker's answer.
#include "ui/addpartitionsdialog.h"

#include "models/topicoperations.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace partita::ui {

AddPartitionsDialog::AddPartitionsDialog(models::TopicOperations* operations, const QString& topic,
                                         int currentPartitions, QWidget* parent)
    : QDialog(parent),
      m_operations(operations),
      m_topic(topic),
      m_current(currentPartitions),
      m_total(new QSpinBox(this)),
      m_message(new QLabel(this)) {
    setWindowTitle(tr("Add partitions to %1").arg(topic));
    // Kafka only grows a topic; the new total must exceed what it has.
    m_total->setRange(currentPartitions + 1, 100000);
    m_total->setValue(currentPartitions + 1);
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::RichText);
    m_message->setText(
        tr("Records with a key may go to another partition afterwards: ordering per key holds "
           "only from now on."));

    auto* form = new QFormLayout;
    form->addRow(tr("Current partitions:"), new QLabel(QString::number(currentPartitions), this));
    form->addRow(tr("New &total:"), m_total);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_add = buttons->addButton(tr("Add partitions"), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &AddPartitionsDialog::addPartitions);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
}

void AddPartitionsDialog::addPartitions() {
    if (!m_operations || !m_add->isEnabled()) return;
    m_add->setEnabled(false);
    m_total->setEnabled(false);
    m_message->setText(tr("Adding…"));
    QPointer<AddPartitionsDialog> self(this);
    m_operations->addPartitions(m_topic, m_total->value(), [self](const QString& error) {
        if (!self) return;
        self->m_add->setEnabled(true);
        self->m_total->setEnabled(true);
        if (!error.isEmpty()) {
            self->m_message->setText(
                QStringLiteral("<span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped()));
            return;
        }
        self->accept();
    });
}

}  // namespace partita::ui
