// PartitionsPanel: a topic's partition table and its summary line.
#include "ui/partitionspanel.h"

#include "models/clustersession.h"
#include "models/partitionmodel.h"
#include "ui/chartbelow.h"
#include "ui/healthrowdelegate.h"
#include "ui/readonlytable.h"

#include <QFont>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace partita::ui {

using models::PartitionModel;

PartitionsPanel::PartitionsPanel(models::ClusterSession* session, const QString& topic, QWidget* parent)
    : QWidget(parent),
      m_model(new PartitionModel(this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_summary(new QLabel(this)),
      m_view(new QTableView(this)) {
    if (auto snapshot = session->snapshot())
        m_model->setTopic(topic, *snapshot);
    else
        m_model->setTopic(topic);
    connect(session, &models::ClusterSession::snapshotReady, m_model, &PartitionModel::setSnapshot);
    connect(m_model, &PartitionModel::summaryChanged, this, &PartitionsPanel::updateSummary);
    connect(m_model, &PartitionModel::modelReset, this, &PartitionsPanel::updateSummary);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(PartitionModel::SortRole);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new HealthRowDelegate(models::PartitionModel::OfflineRole,
                                                  models::PartitionModel::UnderReplicatedRole, m_view));
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(PartitionModel::PartitionColumn, Qt::AscendingOrder);
    setUpReadOnlyTable(m_view);
    // Numbers stay next to their headers instead of being pushed to the far right edge.
    m_view->horizontalHeader()->setStretchLastSection(false);

    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setContentsMargins(6, 4, 6, 4);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_view);
    updateSummary();
}

QString PartitionsPanel::topic() const {
    return m_model->topic();
}

void PartitionsPanel::updateSummary() {
    m_summary->setText(tr("Topic %1: %2").arg(m_model->topic(), m_model->summaryText()));
    // The tinted rows may be scrolled out of sight: the summary itself says there is a problem.
    const models::PartitionModel::Summary s = m_model->summary();
    QFont font = m_summary->font();
    font.setBold(s.underReplicated > 0 || s.offline > 0);
    m_summary->setFont(font);
}

void PartitionsPanel::setLagChart(QWidget* chart) {
    if (m_lagChart || !chart) return;
    m_lagChart = chart;
    placeChartBelow(m_view, chart);
}

}  // namespace partita::ui
