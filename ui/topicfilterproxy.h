// TopicFilterProxy: filters a TopicModel by a name substring and hides internal topics on request.
#pragma once

#include <QSortFilterProxyModel>
#include <QString>

namespace partita::ui {

class TopicFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit TopicFilterProxy(QObject* parent = nullptr);

    // Case-insensitive substring of the topic name; empty shows every topic.
    void setNameFilter(const QString& text);
    QString nameFilter() const { return m_nameFilter; }
    void setShowInternal(bool show);
    bool showInternal() const { return m_showInternal; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_nameFilter;
    bool m_showInternal = false;
};

}  // namespace partita::ui
