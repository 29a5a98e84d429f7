// TopicConfigDialog: wires a topic's ConfigModel into a ConfigEditor, with a Close button.
#include "ui/topicconfigdialog.h"

#include "models/configmodel.h"
#include "ui/configeditor.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace partita::ui {

TopicConfigDialog::TopicConfigDialog(models::ClusterSession* session, const QString& topic, QWidget* parent)
    : QDialog(parent), m_topic(topic), m_model(models::ConfigModel::create(session, this)) {
    setWindowTitle(tr("Configs of topic %1").arg(topic));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("<b>%1</b>: bold values differ from Kafka's defaults; edited values are shown in "
                                "italics until you apply them.")
                                 .arg(topic.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    if (m_model) {
        m_editor = new ConfigEditor(m_model, this);
        layout->addWidget(m_editor, 1);
        m_model->setTopic(topic);
    } else {
        layout->addWidget(new QLabel(tr("Not connected to the cluster."), this), 1);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(760, 560);
}

}  // namespace partita::ui
