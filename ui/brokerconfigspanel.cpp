// BrokerConfigsPanel: a ConfigEditor that follows the broker it is given, or a hint when there is none.
#include "ui/brokerconfigspanel.h"

#include "models/configmodel.h"
#include "ui/configeditor.h"

#include <QLabel>
#include <QStackedLayout>
#include <QVBoxLayout>

namespace partita::ui {

BrokerConfigsPanel::BrokerConfigsPanel(QWidget* parent)
    : QWidget(parent), m_title(new QLabel(this)), m_placeholder(new QLabel(this)), m_stack(new QStackedLayout) {
    m_title->setWordWrap(true);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_stack->addWidget(m_placeholder);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addLayout(m_stack, 1);
    update();
}

void BrokerConfigsPanel::setSession(models::ClusterSession* session) {
    if (session == m_session) return;
    m_session = session;
    delete m_editor;
    m_editor = nullptr;
    delete m_model;
    m_model = models::ConfigModel::create(session, this);
    if (m_model) {
        m_editor = new ConfigEditor(m_model, this);
        m_stack->addWidget(m_editor);
        if (m_brokerId >= 0) m_model->setBroker(m_brokerId);
    }
    update();
}

void BrokerConfigsPanel::setBroker(int brokerId) {
    if (brokerId == m_brokerId) return;
    m_brokerId = brokerId;
    if (m_model && brokerId >= 0) m_model->setBroker(brokerId);
    update();
}

void BrokerConfigsPanel::update() {
    if (!m_model) {
        m_title->setText(tr("Broker configs"));
        m_placeholder->setText(tr("Not connected to a cluster."));
        m_stack->setCurrentWidget(m_placeholder);
    } else if (m_brokerId < 0) {
        m_title->setText(tr("Broker configs"));
        m_placeholder->setText(tr("Select a broker to see its configs."));
        m_stack->setCurrentWidget(m_placeholder);
    } else {
        m_title->setText(tr("<b>Configs of broker %1</b> — read-only entries need a restart to change; a broker "
                            "that cannot change a config at runtime says so when you apply.")
                             .arg(m_brokerId));
        m_stack->setCurrentWidget(m_editor);
    }
}

}  // namespace partita::ui
