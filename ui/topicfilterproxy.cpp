// TopicFilterProxy: one proxy for both filters, so a view maps indexes through a single layer.
#include "ui/topicfilterproxy.h"

#include "models/topicmodel.h"

namespace partita::ui {

using models::TopicModel;

TopicFilterProxy::TopicFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(TopicModel::SortRole);
    // Rows the model inserts or changes on a refresh are filtered and sorted again.
    setDynamicSortFilter(true);
}

void TopicFilterProxy::setSourceModel(QAbstractItemModel* model) {
    m_topics = qobject_cast<TopicModel*>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void TopicFilterProxy::setNameFilter(const QString& text) {
    if (text == m_nameFilter) return;
    m_nameFilter = text;
    m_lowerFilter = text.toLower();
    invalidateFilter();
}

void TopicFilterProxy::setShowInternal(bool show) {
    if (show == m_showInternal) return;
    m_showInternal = show;
    invalidateFilter();
}

bool TopicFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (m_topics) {
        const TopicModel::Row* t = m_topics->topic(sourceRow);
        if (t == nullptr) return false;
        if (!m_showInternal && t->internal) return false;
        return m_lowerFilter.isEmpty() || t->lowerName.contains(m_lowerFilter, Qt::CaseSensitive);
    }
    const QModelIndex name = sourceModel()->index(sourceRow, TopicModel::NameColumn, sourceParent);
    if (!m_showInternal && name.data(TopicModel::InternalRole).toBool()) return false;
    if (m_nameFilter.isEmpty()) return true;
    return name.data(TopicModel::NameRole).toString().contains(m_nameFilter, Qt::CaseInsensitive);
}

}  // namespace partita::ui
