// ResetOffsetsDialog: choose how to move a consumer group's committed offsets, preview the plan
// as a table, and apply it; everything runs on engine threads while the dialog stays responsive.
#pragma once

#include <QDialog>
#include <QString>
#include <QStringList>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace partita::models {
class ClusterSession;
class OffsetResetPlan;
}  // namespace partita::models

namespace partita::ui {

class ResetOffsetsDialog : public QDialog {
    Q_OBJECT
public:
    // The combo's entries, in this order.
    enum StrategyIndex { EarliestIndex, LatestIndex, ToOffsetIndex, ToDateTimeIndex, ShiftByIndex };

    // `topics` fills the topic combo (after "All topics").
    ResetOffsetsDialog(models::ClusterSession* session, const QString& groupId, const QStringList& topics,
                       QWidget* parent = nullptr);
    ~ResetOffsetsDialog() override;

    models::OffsetResetPlan* plan() const { return m_plan; }
    QComboBox* strategyCombo() const { return m_strategy; }
    QLineEdit* valueEdit() const { return m_value; }
    QDateTimeEdit* dateTimeEdit() const { return m_dateTime; }
    QComboBox* topicCombo() const { return m_topic; }
    QPushButton* previewButton() const { return m_previewButton; }
    QPushButton* applyButton() const { return m_applyButton; }
    QTableView* view() const { return m_view; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* statusLabel() const { return m_status; }

public slots:
    void preview();
    void apply();

signals:
    // New offsets were committed.
    void offsetsReset();

private:
    void updateControls();
    void markStale();

    QString m_groupId;
    models::OffsetResetPlan* m_plan;
    QComboBox* m_strategy;
    QLineEdit* m_value;
    QDateTimeEdit* m_dateTime;
    QComboBox* m_topic;
    QPushButton* m_previewButton;
    QPushButton* m_applyButton;
    QTableView* m_view;
    QProgressBar* m_progress;
    QLabel* m_status;
    // The inputs changed since the shown plan was built: applying it would not do what they say.
    bool m_stale = true;
    // A preview was asked for and the inputs have not changed since.
    bool m_previewCurrent = false;
};

}  // namespace partita::ui
