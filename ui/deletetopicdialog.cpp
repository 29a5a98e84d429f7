// DeleteTopicDialog: the Delete button wakes up only when the exact topic name was typed.
#include "ui/deletetopicdialog.h"

#include "models/topicoperations.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace partita::ui {

DeleteTopicDialog::DeleteTopicDialog(models::TopicOperations* operations, const QString& topic, QWidget* parent)
    : QDialog(parent),
      m_operations(operations),
      m_topic(topic),
      m_confirm(new QLineEdit(this)),
      m_message(new QLabel(this)) {
    setWindowTitle(tr("Delete topic %1").arg(topic));
    auto* warning = new QLabel(tr("Deleting <b>%1</b> removes all its records and its configs; this cannot be "
                                  "undone. Producers and consumers of it will fail.<br><br>Type the topic name to "
                                  "confirm:")
                                   .arg(topic.toHtmlEscaped()),
                               this);
    warning->setWordWrap(true);
    m_confirm->setPlaceholderText(topic);
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::RichText);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_delete = buttons->addButton(tr("Delete topic"), QDialogButtonBox::DestructiveRole);
    m_delete->setEnabled(false);
    // Enter in the name field must not delete by surprise: nothing is a default button.
    m_delete->setAutoDefault(false);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    connect(m_confirm, &QLineEdit::textChanged, this,
            [this](const QString& text) { m_delete->setEnabled(!m_busy && text == m_topic); });
    connect(m_delete, &QPushButton::clicked, this, &DeleteTopicDialog::deleteTopic);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(warning);
    layout->addWidget(m_confirm);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
}

void DeleteTopicDialog::deleteTopic() {
    if (m_busy || m_confirm->text() != m_topic || !m_operations) return;
    m_busy = true;
    m_delete->setEnabled(false);
    m_message->setText(tr("Deleting…"));
    QPointer<DeleteTopicDialog> self(this);
    m_operations->deleteTopic(m_topic, [self](const QString& error) {
        if (!self) return;
        self->m_busy = false;
        if (!error.isEmpty()) {
            self->m_delete->setEnabled(self->m_confirm->text() == self->m_topic);
            self->m_message->setText(
                QStringLiteral("<span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped()));
            return;
        }
        self->accept();
    });
}

}  // namespace partita::ui
