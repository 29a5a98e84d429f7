// GroupsPanel: the consumer groups table and its filter line.
#include "ui/groupspanel.h"

#include "models/groupmodel.h"
#include "ui/readonlytable.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace partita::ui {

using models::GroupModel;

GroupsPanel::GroupsPanel(GroupModel* model, QWidget* parent)
    : QWidget(parent),
      m_proxy(new QSortFilterProxyModel(this)),
      m_filter(new QLineEdit(this)),
      m_view(new QTableView(this)) {
    m_proxy->setSourceModel(model);
    // Raw numbers sort numerically (member counts), not as text.
    m_proxy->setSortRole(GroupModel::SortRole);
    m_proxy->setFilterKeyColumn(GroupModel::GroupIdColumn);
    m_proxy->setFilterRole(GroupModel::GroupIdRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter->setPlaceholderText(tr("Filter groups by ID"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(GroupModel::GroupIdColumn, Qt::AscendingOrder);
    setUpReadOnlyTable(m_view);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    // The group id takes the room left over: ids are long, the other columns are short.
    m_view->horizontalHeader()->setSectionResizeMode(GroupModel::GroupIdColumn, QHeaderView::Stretch);
    connect(m_view, &QTableView::doubleClicked, this, &GroupsPanel::openGroupAt);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 4);
    bar->addWidget(m_filter, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view);
}

QString GroupsPanel::groupAt(int viewRow) const {
    return m_proxy->index(viewRow, GroupModel::GroupIdColumn).data(GroupModel::GroupIdRole).toString();
}

int GroupsPanel::viewRowOf(const QString& groupId) const {
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        if (groupAt(row) == groupId) return row;
    return -1;
}

void GroupsPanel::openGroupAt(const QModelIndex& viewIndex) {
    if (!viewIndex.isValid()) return;
    const QString group = groupAt(viewIndex.row());
    if (!group.isEmpty()) emit openGroupRequested(group);
}

}  // namespace partita::ui
