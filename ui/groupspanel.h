// GroupsPanel: the consumer groups of a cluster as a sortable table with filter-as-you-type; asks
// for a group's tab on double-click.
#pragma once

#include <QString>
#include <QWidget>

class QLineEdit;
class QModelIndex;
class QSortFilterProxyModel;
class QTableView;

namespace partita::models {
class GroupModel;
}

namespace partita::ui {

class GroupsPanel : public QWidget {
    Q_OBJECT
public:
    // The model is shared (the main window feeds it from the session); it must outlive the panel.
    explicit GroupsPanel(models::GroupModel* model, QWidget* parent = nullptr);

    QTableView* view() const { return m_view; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QLineEdit* filterEdit() const { return m_filter; }

    // The group shown in a row of the view (empty outside the table), and the view row of a group
    // (-1 when filtered out or absent).
    QString groupAt(int viewRow) const;
    int viewRowOf(const QString& groupId) const;

public slots:
    // Emits openGroupRequested for the group of a view index (what double-click does).
    void openGroupAt(const QModelIndex& viewIndex);

signals:
    void openGroupRequested(const QString& groupId);

private:
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filter;
    QTableView* m_view;
};

}  // namespace partita::ui
