// MessageBrowserPanel: one topic's message browser: where to start reading, the lazy message
// table (older pages at the top, newer at the bottom, live tail) and the selected message's detail.
#pragma once

#include <QByteArray>
#include <QPersistentModelIndex>
#include <QString>
#include <QWidget>

#include <optional>

class QAction;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QJsonDocument;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QStackedWidget;
class QStandardItemModel;
class QTabWidget;
class QTableView;
class QTableWidget;
class QToolButton;
class QTreeView;

namespace partita::models {
class ClusterSession;
class MessageModel;
struct ClusterSnapshot;
}  // namespace partita::models

namespace partita::ui {

class MessageExportRunner;
class MessageSearchBar;
class ProducerDialog;

class MessageBrowserPanel : public QWidget {
    Q_OBJECT
public:
    // Where reading starts (the start combo's items, in order).
    enum StartChoice { LastN, Beginning, End, AtOffset, AtTimestamp, GroupOffsets };
    // How the value / key tab shows the bytes (the "View as" combos' items, in order).
    enum ViewAs { Auto, Json, Text, Hex };

    // Values at least this large are never shown as a JSON tree (building one for a 1 MB value
    // freezes the GUI); Auto shows them as text or hex instead.
    static constexpr int kJsonTreeLimit = 256 * 1024;
    // A hex dump is about 4.5 characters per byte: beyond this many bytes only the head is shown
    // (a whole 1 MB value took ~200 ms of the GUI thread).
    static constexpr int kHexViewLimit = 256 * 1024;

    // Opens at "Last 500" over all partitions. The session must outlive the panel.
    MessageBrowserPanel(models::ClusterSession* session, const QString& topic, QWidget* parent = nullptr);

    QString topic() const { return m_topic; }
    models::MessageModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }

    // The toolbar.
    QComboBox* partitionCombo() const { return m_partition; }
    QComboBox* startCombo() const { return m_start; }
    QSpinBox* lastCountSpin() const { return m_lastCount; }
    QSpinBox* offsetSpin() const { return m_offset; }
    QDateTimeEdit* timestampEdit() const { return m_timestamp; }
    QCheckBox* utcCheck() const { return m_utc; }
    QComboBox* groupCombo() const { return m_group; }
    QPushButton* openButton() const { return m_openButton; }
    QToolButton* followButton() const { return m_follow; }
    QComboBox* isolationCombo() const { return m_isolation; }
    QAction* copyAsKcatAction() const { return m_copyAsKcat; }
    QAction* openInProducerAction() const { return m_openInProducer; }
    QLabel* statusLabel() const { return m_status; }
    MessageSearchBar* searchBar() const { return m_searchBar; }
    MessageExportRunner* exporter() const { return m_exporter; }
    QAction* exportSelectedAction() const { return m_exportSelected; }
    QAction* exportLoadedAction() const { return m_exportLoaded; }
    QAction* exportSearchAction() const { return m_exportSearch; }

    // The detail pane.
    QTabWidget* detailTabs() const { return m_tabs; }
    QLabel* detailHeader() const { return m_detailHeader; }
    QComboBox* valueViewCombo() const { return m_valuePage.mode; }
    QLabel* valueNote() const { return m_valuePage.note; }
    QTreeView* valueTree() const { return m_valuePage.tree; }
    QPlainTextEdit* valueText() const { return m_valuePage.text; }
    // The value page's widget in front: valueTree() or valueText().
    QWidget* valueShown() const;
    QComboBox* keyViewCombo() const { return m_keyPage.mode; }
    QTreeView* keyTree() const { return m_keyPage.tree; }
    QPlainTextEdit* keyText() const { return m_keyPage.text; }
    QTableWidget* headersTable() const { return m_headers; }

    // Classic hex dump: offset, 16 bytes per line, an ASCII column.
    static QString hexDump(const QByteArray& bytes);
    // Text when the bytes are valid UTF-8 without control characters (other than tab and line
    // breaks), else nullopt.
    static std::optional<QString> printableText(const QByteArray& bytes);
    // Fills a two-column (key, value) tree model from a JSON object or array.
    static void fillJsonTree(QStandardItemModel* tree, const QJsonDocument& json);
    // One message as "key<TAB>value" (each as text or, when not printable, hex; null as empty).
    static QString kcatLine(const std::optional<QByteArray>& key, const std::optional<QByteArray>& value);

public slots:
    // Opens the model with the toolbar's settings.
    void openMessages();
    // The partitions the toolbar reads (empty: all); setting several adds a "Partitions 0, 2" item.
    QList<int> chosenPartitions() const;
    void setChosenPartitions(QList<int> partitions);
    // Searches the toolbar's range (partition, start) up to the search bar's end time.
    void startSearch(const QString& expression);
    // The producer dialog for this topic, empty or with the current message (non-modal).
    ProducerDialog* openProducer();
    ProducerDialog* openCurrentInProducer();
    // Copies the selected messages, one kcatLine() per line, in view order.
    void copySelectionAsKcat();

private:
    // A Value or Key tab: the "View as" combo over a JSON tree or a text view.
    struct BytesPage {
        QWidget* page = nullptr;
        QComboBox* mode = nullptr;
        QLabel* note = nullptr;
        QStackedWidget* stack = nullptr;
        QTreeView* tree = nullptr;
        QStandardItemModel* json = nullptr;
        QPlainTextEdit* text = nullptr;
        std::optional<QByteArray> bytes;
    };

    QWidget* buildToolbar();
    QWidget* buildDetail();
    void buildBytesPage(BytesPage& page);
    void showBytes(BytesPage& page);
    void applySnapshot(const models::ClusterSnapshot& snapshot);
    void showCurrent();
    void onScroll(int value);
    void updateStatus();
    void choosePartitions();
    void applyIsolation();
    void showSearchProgress();
    void setUtc(bool utc);

    models::ClusterSession* m_session;
    QString m_topic;
    models::MessageModel* m_model;
    QSortFilterProxyModel* m_proxy;

    QComboBox* m_partition = nullptr;
    QComboBox* m_start = nullptr;
    QStackedWidget* m_startArgs = nullptr;
    QSpinBox* m_lastCount = nullptr;
    QSpinBox* m_offset = nullptr;
    QDateTimeEdit* m_timestamp = nullptr;
    QCheckBox* m_utc = nullptr;
    QComboBox* m_group = nullptr;
    QPushButton* m_openButton = nullptr;
    QToolButton* m_follow = nullptr;
    QComboBox* m_isolation = nullptr;
    QAction* m_copyAsKcat = nullptr;
    QAction* m_openInProducer = nullptr;
    QLabel* m_status = nullptr;
    MessageSearchBar* m_searchBar = nullptr;
    MessageExportRunner* m_exporter = nullptr;
    QAction* m_exportSelected = nullptr;
    QAction* m_exportLoaded = nullptr;
    QAction* m_exportSearch = nullptr;
    QString m_notice;  // the last export's outcome

    QTableView* m_view = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_detailHeader = nullptr;
    BytesPage m_valuePage;
    BytesPage m_keyPage;
    QTableWidget* m_headers = nullptr;

    QString m_error;
    int m_partitionCount = -1;
    // The partition combo's data: a partition number, or one of these.
    static constexpr int kAllPartitions = -1;
    static constexpr int kChoosePartitions = -2;   // "Several…": opens the chooser
    static constexpr int kSeveralPartitions = -3;  // the chosen set, m_severalPartitions
    QList<int> m_severalPartitions;
    // The row at the top of the view when older rows were asked for: kept in view after they
    // arrive, so the user is not thrown to the new top (which would ask for more again).
    QPersistentModelIndex m_olderAnchor;
    bool m_fetchingOlder = false;
    bool m_wasAtBottom = false;
};

}  // namespace partita::ui
