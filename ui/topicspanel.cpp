// TopicsPanel: the topics table, its filter line and internal-topics toggle.
#include "ui/topicspanel.h"

#include "models/topicmodel.h"
#include "ui/readonlytable.h"
#include "ui/topicfilterproxy.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

namespace partita::ui {

using models::TopicModel;

TopicsPanel::TopicsPanel(TopicModel* model, QWidget* parent)
    : QWidget(parent),
      m_proxy(new TopicFilterProxy(this)),
      m_filter(new QLineEdit(this)),
      m_showInternal(new QCheckBox(tr("Show internal topics"), this)),
      m_view(new QTableView(this)) {
    m_proxy->setSourceModel(model);

    m_filter->setPlaceholderText(tr("Filter topics by name"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &TopicFilterProxy::setNameFilter);
    m_showInternal->setChecked(m_proxy->showInternal());
    connect(m_showInternal, &QCheckBox::toggled, m_proxy, &TopicFilterProxy::setShowInternal);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(TopicModel::NameColumn, Qt::AscendingOrder);
    setUpReadOnlyTable(m_view);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    // The name takes the room left over, so long names are not cut while numbers stay compact.
    m_view->horizontalHeader()->setSectionResizeMode(TopicModel::NameColumn, QHeaderView::Stretch);
    connect(m_view, &QTableView::doubleClicked, this, &TopicsPanel::openTopicAt);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 4);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_showInternal);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view);
}

QString TopicsPanel::topicAt(int viewRow) const {
    return m_proxy->index(viewRow, TopicModel::NameColumn).data(TopicModel::NameRole).toString();
}

void TopicsPanel::openTopicAt(const QModelIndex& viewIndex) {
    if (!viewIndex.isValid()) return;
    const QString topic = topicAt(viewIndex.row());
    if (!topic.isEmpty()) emit openPartitionsRequested(topic);
}

}  // namespace partita::ui
