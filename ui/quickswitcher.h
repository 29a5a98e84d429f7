// QuickSwitcher: the Ctrl+K popup: type a few letters of a panel, topic, consumer group or cluster
// name, pick from the fuzzy-ranked list with Up/Down/Enter, Escape closes.
#pragma once

#include <QFrame>
#include <QIcon>
#include <QList>
#include <QString>

class QLineEdit;
class QListView;

namespace partita::ui {

class QuickSwitcher : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Panel, Topic, Group, Cluster };
    Q_ENUM(Kind)

    struct Entry {
        Kind kind = Kind::Panel;
        QString text;  // what the user reads and types against
        QIcon icon;
        QString id;  // opaque to the switcher; handed back by activated()
    };

    // A popup window: pass the main window so popupOver() can centre it there.
    explicit QuickSwitcher(QWidget* parent = nullptr);
    ~QuickSwitcher() override;

    // Replaces what can be picked; cheap enough for tens of thousands of entries.
    void setEntries(QList<Entry> entries);

    // Clears the filter and shows the popup near the top of `window` (the parent when null), with
    // the keyboard in the line edit.
    void popupOver(QWidget* window = nullptr);

    QLineEdit* lineEdit() const { return m_edit; }
    QListView* listView() const { return m_list; }

    // The entries the current filter shows, best first (for tests and accessibility).
    int visibleCount() const;
    Entry visibleEntry(int row) const;

    // How well `pattern` matches `text`, case-insensitively: < 0 no match; a prefix beats a match
    // at a word start ("orders" in "user-orders"), which beats any other substring, which beats a
    // scattered subsequence ("uoa" in "user-orders-archive").
    static int matchScore(const QString& text, const QString& pattern);

signals:
    void activated(partita::ui::QuickSwitcher::Kind kind, const QString& id);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    void filter(const QString& pattern);
    void moveCurrent(int delta);
    void activateRow(int row);
    // Fits the popup to the matches (up to ten rows), hiding the list when nothing matches.
    void fitHeight();

    class Model;
    Model* m_model = nullptr;
    QLineEdit* m_edit = nullptr;
    QListView* m_list = nullptr;
};

}  // namespace partita::ui
