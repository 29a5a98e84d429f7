// BrokerConfigsPanel: one broker's configs (ConfigModel in a ConfigEditor) with filter, edit and apply.
#pragma once

#include <QWidget>

class QLabel;
class QStackedLayout;

namespace partita::models {
class ClusterSession;
class ConfigModel;
}  // namespace partita::models

namespace partita::ui {

class ConfigEditor;

class BrokerConfigsPanel : public QWidget {
    Q_OBJECT
public:
    explicit BrokerConfigsPanel(QWidget* parent = nullptr);

    // Enables the panel on a cluster (the session must outlive the panel); null disables it.
    void setSession(models::ClusterSession* session);
    // -1: no broker (the panel asks to select one).
    void setBroker(int brokerId);
    int broker() const { return m_brokerId; }

    models::ConfigModel* model() const { return m_model; }
    ConfigEditor* editor() const { return m_editor; }
    QLabel* titleLabel() const { return m_title; }

private:
    void update();

    models::ClusterSession* m_session = nullptr;
    models::ConfigModel* m_model = nullptr;
    ConfigEditor* m_editor = nullptr;
    QLabel* m_title;
    QLabel* m_placeholder;
    QStackedLayout* m_stack;
    int m_brokerId = -1;
};

}  // namespace partita::ui
