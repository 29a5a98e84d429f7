// BrokersPanel: the brokers table (sorted on the model's raw SortRole values, not display text)
// and, below it in a splitter, the configs of the selected broker.
#include "ui/brokerspanel.h"

#include "models/brokermodel.h"
#include "ui/brokerconfigspanel.h"
#include "ui/readonlytable.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace partita::ui {

BrokersPanel::BrokersPanel(models::BrokerModel* model, QWidget* parent)
    : QWidget(parent),
      m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)),
      m_splitter(new QSplitter(Qt::Vertical, this)),
      m_configs(new BrokerConfigsPanel(this)) {
    m_proxy->setSourceModel(model);
    // Sizes are shown as "1.2 MiB"; sorting the text would put "900 KiB" after "1.2 MiB".
    m_proxy->setSortRole(models::BrokerModel::SortRole);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(models::BrokerModel::IdColumn, Qt::AscendingOrder);
    setUpReadOnlyTable(m_view);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(models::BrokerModel::ReachableColumn, QHeaderView::Stretch);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BrokersPanel::followSelection);
    // With one broker (the usual local cluster) its configs show without a click.
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_configs->isVisible() && !m_view->selectionModel()->hasSelection() && m_proxy->rowCount() > 0)
            m_view->selectRow(0);
    });

    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_configs);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    m_configs->hide();  // until a session makes it useful

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);
}

void BrokersPanel::setSession(models::ClusterSession* session) {
    m_configs->setSession(session);
    m_configs->setVisible(session != nullptr);
    if (session && !m_view->selectionModel()->hasSelection() && m_proxy->rowCount() > 0) m_view->selectRow(0);
    followSelection();
}

void BrokersPanel::followSelection() {
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    m_configs->setBroker(rows.isEmpty() ? -1 : rows.first().data(models::BrokerModel::BrokerIdRole).toInt());
}

}  // namespace partita::ui
