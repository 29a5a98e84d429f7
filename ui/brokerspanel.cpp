// BrokersPanel: the brokers table (sorted on the model's raw SortRole values, not display text).
#include "ui/brokerspanel.h"

#include "models/brokermodel.h"
#include "ui/readonlytable.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace partita::ui {

BrokersPanel::BrokersPanel(models::BrokerModel* model, QWidget* parent)
    : QWidget(parent), m_proxy(new QSortFilterProxyModel(this)), m_view(new QTableView(this)) {
    m_proxy->setSourceModel(model);
    // Sizes are shown as "1.2 MiB"; sorting the text would put "900 KiB" after "1.2 MiB".
    m_proxy->setSortRole(models::BrokerModel::SortRole);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(models::BrokerModel::IdColumn, Qt::AscendingOrder);
    setUpReadOnlyTable(m_view);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(models::BrokerModel::ReachableColumn, QHeaderView::Stretch);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

}  // namespace partita::ui
