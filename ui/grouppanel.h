// GroupPanel: one consumer group's tab: its state, per-partition lag with totals, Refresh, the
// offset reset dialog and deleting the group.
#pragma once

#include <QPointer>
#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace partita::models {
class ClusterSession;
class GroupLagModel;
}  // namespace partita::models

namespace partita::ui {

class ResetOffsetsDialog;

class GroupPanel : public QWidget {
    Q_OBJECT
public:
    // Fetches the group's lag at once (the answer arrives later).
    GroupPanel(models::ClusterSession* session, const QString& groupId, QWidget* parent = nullptr);
    ~GroupPanel() override;

    QString groupId() const { return m_groupId; }
    models::GroupLagModel* lagModel() const { return m_lag; }
    QTableView* view() const { return m_view; }
    QLabel* stateLabel() const { return m_stateLabel; }
    QLabel* summaryLabel() const { return m_summaryLabel; }
    QPushButton* refreshButton() const { return m_refreshButton; }
    QPushButton* resetButton() const { return m_resetButton; }
    QPushButton* deleteButton() const { return m_deleteButton; }
    // The open reset dialog, or nullptr.
    ResetOffsetsDialog* resetDialog() const;
    // Puts a chart of the group's lag history below the table (the panel owns it).
    void setLagChart(QWidget* chart);
    QWidget* lagChart() const { return m_lagChart; }

public slots:
    void refresh();
    // Opens the reset dialog (non-modal: the lag table stays usable) or raises the open one.
    ResetOffsetsDialog* openResetDialog();
    // Asks for confirmation, then deletes the group.
    void confirmAndDelete();
    // Deletes the group without asking (what a confirmed confirmAndDelete does).
    void deleteGroup();

signals:
    // The group was deleted (the tab has nothing left to show).
    void groupDeleted(const QString& groupId);
    // Deleting failed; `error` is what the broker said (e.g. the group is not empty).
    void deleteFailed(const QString& error);
    // The reset dialog applied new offsets.
    void offsetsReset();

private:
    void updateLabels();
    void onDeleted(const QString& error);

    models::ClusterSession* m_session;
    QString m_groupId;
    models::GroupLagModel* m_lag;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_stateLabel;
    QLabel* m_summaryLabel;
    QTableView* m_view;
    QPushButton* m_refreshButton;
    QPushButton* m_resetButton;
    QPushButton* m_deleteButton;
    QPointer<ResetOffsetsDialog> m_resetDialog;
    QWidget* m_lagChart = nullptr;
    bool m_deleting = false;
    QString m_deleteError;
};

}  // namespace partita::ui
