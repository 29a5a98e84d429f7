// MessageSearchBar: the message browser's search row: the expression (checked as it is typed),
// an optional end time, Search / Cancel, and the running search's progress and counts.
#pragma once

#include <QDateTime>
#include <QString>
#include <QWidget>

class QCheckBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace partita::ui {

class MessageSearchBar : public QWidget {
    Q_OBJECT
public:
    explicit MessageSearchBar(QWidget* parent = nullptr);

    QLineEdit* expressionEdit() const { return m_expression; }
    QCheckBox* untilCheck() const { return m_untilCheck; }
    QDateTimeEdit* untilEdit() const { return m_until; }
    QPushButton* searchButton() const { return m_search; }
    QPushButton* cancelButton() const { return m_cancel; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* statsLabel() const { return m_stats; }

    // -1 when no end time is set.
    qint64 untilMs() const;
    void setUtc(bool utc);

    // What the bar shows while a search runs and after it ends.
    struct Progress {
        quint64 scanned = 0;
        quint64 matched = 0;
        quint64 done = 0;
        quint64 total = 0;
        qint64 elapsedMs = 0;
        bool running = false;
        bool cancelled = false;
        bool limitReached = false;
        int rowLimit = 0;
        QString error;
    };
    void showProgress(const Progress& progress);
    // Back to idle (the window shows browsed messages again).
    void clearProgress();

signals:
    void searchRequested(const QString& expression);
    void cancelRequested();

private:
    void checkExpression();

    QLineEdit* m_expression = nullptr;
    QLabel* m_problem = nullptr;
    QCheckBox* m_untilCheck = nullptr;
    QDateTimeEdit* m_until = nullptr;
    QPushButton* m_search = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_stats = nullptr;
};

}  // namespace partita::ui
