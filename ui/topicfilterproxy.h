// TopicFilterProxy: filters a TopicModel by a name substring and hides internal topics on request.
#pragma once

#include <QPointer>
#include <QSortFilterProxyModel>
#include <QString>

namespace partita::models {
class TopicModel;
}

namespace partita::ui {

class TopicFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit TopicFilterProxy(QObject* parent = nullptr);

    void setSourceModel(QAbstractItemModel* model) override;

    // Case-insensitive substring of the topic name; empty shows every topic.
    void setNameFilter(const QString& text);
    QString nameFilter() const { return m_nameFilter; }
    void setShowInternal(bool show);
    bool showInternal() const { return m_showInternal; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_nameFilter;
    QString m_lowerFilter;  // m_nameFilter lower-cased once, matched against the model's lower-case names
    bool m_showInternal = false;
    // The source when it is a TopicModel: its rows are read directly, without an index and two
    // QVariants per row, which is what keeps a keystroke fast with 10,000 topics.
    QPointer<models::TopicModel> m_topics;
};

}  // namespace partita::ui
