// BrokersPanel: the brokers of a cluster as a sortable table over a BrokerModel.
#pragma once

#include <QWidget>

class QSortFilterProxyModel;
class QTableView;

namespace partita::models {
class BrokerModel;
}

namespace partita::ui {

class BrokersPanel : public QWidget {
    Q_OBJECT
public:
    // The model is shared (the main window feeds it from the session); it must outlive the panel.
    explicit BrokersPanel(models::BrokerModel* model, QWidget* parent = nullptr);

    QTableView* view() const { return m_view; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }

private:
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
};

}  // namespace partita::ui
