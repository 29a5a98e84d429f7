// BrokersPanel: the brokers of a cluster as a sortable table over a BrokerModel; with a session,
// the selected broker's configs below it.
#pragma once

#include <QWidget>

class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace partita::models {
class BrokerModel;
class ClusterSession;
}  // namespace partita::models

namespace partita::ui {

class BrokerConfigsPanel;

class BrokersPanel : public QWidget {
    Q_OBJECT
public:
    // The model is shared (the main window feeds it from the session); it must outlive the panel.
    explicit BrokersPanel(models::BrokerModel* model, QWidget* parent = nullptr);

    // Shows the configs pane for this cluster (the session must outlive the panel; null hides it).
    void setSession(models::ClusterSession* session);

    QTableView* view() const { return m_view; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    BrokerConfigsPanel* configsPanel() const { return m_configs; }
    QSplitter* splitter() const { return m_splitter; }

private:
    void followSelection();

    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    QSplitter* m_splitter;
    BrokerConfigsPanel* m_configs;
};

}  // namespace partita::ui
