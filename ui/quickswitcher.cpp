// QuickSwitcher: the popup, its ranked list model (filtering re-ranks rows of one model; no
// widgets are rebuilt) and the delegate that shows each entry's kind.
#include "ui/quickswitcher.h"

#include <QAbstractListModel>
#include <QApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QPaintEvent>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

#include <algorithm>
#include <vector>

namespace partita::ui {

namespace {

constexpr int kPrefixScore = 3000;
constexpr int kWordStartScore = 2000;
constexpr int kSubstringScore = 1500;
constexpr int kSubsequenceScore = 1000;
constexpr int kVisibleRows = 10;

bool isSeparator(QChar c) {
    return !c.isLetterOrNumber();
}

// A word starts after a separator ("user-orders") or at a lower-to-upper change ("userOrders").
// `original` gives the case; `lower` is its lower-case copy (same length unless Unicode folding
// changed it, then only separators count).
bool isWordStart(const QString& original, const QString& lower, qsizetype i) {
    if (i == 0) return true;
    if (isSeparator(lower[i - 1])) return true;
    return original.size() == lower.size() && original[i].isUpper() && original[i - 1].isLower();
}

// The ranking, on pre-lowered strings so filtering 10,000+ entries per keystroke stays cheap.
int score(const QString& original, const QString& lower, const QString& pattern) {
    if (pattern.isEmpty()) return 0;
    if (lower.startsWith(pattern)) return kPrefixScore;
    int best = -1;
    for (qsizetype at = lower.indexOf(pattern); at >= 0; at = lower.indexOf(pattern, at + 1)) {
        if (isWordStart(original, lower, at)) return kWordStartScore;
        best = kSubstringScore;
    }
    if (best >= 0) return best;
    // Scattered letters: fewer skipped characters and more letters on word starts rank higher.
    int result = kSubsequenceScore;
    qsizetype from = 0;
    for (QChar c : pattern) {
        const qsizetype at = lower.indexOf(c, from);
        if (at < 0) return -1;
        result -= int(std::min<qsizetype>(at - from, 20));
        if (isWordStart(original, lower, at)) result += 10;
        from = at + 1;
    }
    return std::clamp(result, 1, kSubstringScore - 1);
}

QString kindText(QuickSwitcher::Kind kind) {
    switch (kind) {
        case QuickSwitcher::Kind::Panel:
            return QuickSwitcher::tr("Panel");
        case QuickSwitcher::Kind::Topic:
            return QuickSwitcher::tr("Topic");
        case QuickSwitcher::Kind::Group:
            return QuickSwitcher::tr("Consumer group");
        case QuickSwitcher::Kind::Cluster:
            return QuickSwitcher::tr("Cluster");
    }
    return {};
}

constexpr int KindRole = Qt::UserRole + 1;

// Paints the entry as usual and its kind, dimmed and right-aligned, so "orders" the topic and
// "orders" the group can be told apart.
class KindDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        QStyledItemDelegate::paint(painter, option, index);
        const QString kind = index.data(KindRole).toString();
        if (kind.isEmpty()) return;
        const bool selected = option.state & QStyle::State_Selected;
        QColor color = option.palette.color(selected ? QPalette::HighlightedText : QPalette::PlaceholderText);
        painter->save();
        painter->setPen(color);
        QFont font = option.font;
        font.setPointSizeF(font.pointSizeF() * 0.9);
        painter->setFont(font);
        painter->drawText(option.rect.adjusted(0, 0, -8, 0), Qt::AlignRight | Qt::AlignVCenter, kind);
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        size.setHeight(std::max(size.height(), option.fontMetrics.height() + 10));
        return size;
    }
};

}  // namespace

// All entries, and the ranked rows the current pattern shows (indexes into the entries).
class QuickSwitcher::Model : public QAbstractListModel {
public:
    using QAbstractListModel::QAbstractListModel;

    void setEntries(QList<Entry> entries) {
        m_entries = std::move(entries);
        m_lower.clear();
        m_lower.reserve(size_t(m_entries.size()));
        for (const Entry& e : m_entries) m_lower.push_back(e.text.toLower());
        setPattern(m_pattern);
    }

    // A reset is right here: the whole ranking changes on each keystroke, and the list keeps no
    // selection worth preserving (the first row is selected afterwards).
    void setPattern(const QString& pattern) {
        m_pattern = pattern;
        const QString lowered = pattern.trimmed().toLower();
        std::vector<std::pair<int, int>> ranked;  // (score, entry)
        ranked.reserve(size_t(m_entries.size()));
        for (int i = 0; i < int(m_entries.size()); ++i) {
            const int s = score(m_entries[i].text, m_lower[size_t(i)], lowered);
            if (s >= 0) ranked.emplace_back(s, i);
        }
        std::stable_sort(ranked.begin(), ranked.end(), [this](const auto& a, const auto& b) {
            if (a.first != b.first) return a.first > b.first;
            const QString& ta = m_lower[size_t(a.second)];
            const QString& tb = m_lower[size_t(b.second)];
            if (ta.size() != tb.size()) return ta.size() < tb.size();
            return ta < tb;
        });
        beginResetModel();
        m_rows.clear();
        m_rows.reserve(ranked.size());
        for (const auto& r : ranked) m_rows.push_back(r.second);
        endResetModel();
    }

    const Entry* entry(int row) const {
        return row >= 0 && row < int(m_rows.size()) ? &m_entries[m_rows[size_t(row)]] : nullptr;
    }

    int rowCount(const QModelIndex& parent) const override { return parent.isValid() ? 0 : int(m_rows.size()); }

    QVariant data(const QModelIndex& index, int role) const override {
        const Entry* e = entry(index.row());
        if (e == nullptr) return {};
        switch (role) {
            case Qt::DisplayRole:
                return e->text;
            case Qt::DecorationRole:
                return e->icon;
            case Qt::ToolTipRole:
                return QStringLiteral("%1 — %2").arg(kindText(e->kind), e->text);
            case KindRole:
                return kindText(e->kind);
        }
        return {};
    }

private:
    QList<Entry> m_entries;
    std::vector<QString> m_lower;
    std::vector<int> m_rows;
    QString m_pattern;
};

QuickSwitcher::QuickSwitcher(QWidget* parent) : QFrame(parent, Qt::Popup) {
    // A plain frame: paintEvent() draws a border that stands out from the window below in both
    // looks (Fusion's panel frame is invisible on the dark palette).
    setFrameShape(QFrame::NoFrame);
    setObjectName(QStringLiteral("quickSwitcher"));

    m_model = new Model(this);
    m_edit = new QLineEdit(this);
    m_edit->setPlaceholderText(tr("Go to panel, topic, consumer group or cluster…"));
    m_edit->setClearButtonEnabled(true);
    m_edit->installEventFilter(this);

    m_list = new QListView(this);
    m_list->setModel(m_model);
    m_list->setItemDelegate(new KindDelegate(m_list));
    // One row height for all rows lets the view lay out 10,000+ rows without measuring each.
    m_list->setUniformItemSizes(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setFocusPolicy(Qt::NoFocus);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setIconSize(QSize(18, 18));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    layout->addWidget(m_edit);
    layout->addWidget(m_list);

    connect(m_edit, &QLineEdit::textChanged, this, &QuickSwitcher::filter);
    connect(m_list, &QListView::clicked, this, [this](const QModelIndex& index) { activateRow(index.row()); });
}

QuickSwitcher::~QuickSwitcher() = default;

void QuickSwitcher::setEntries(QList<Entry> entries) {
    m_model->setEntries(std::move(entries));
    moveCurrent(0);
}

void QuickSwitcher::popupOver(QWidget* window) {
    if (window == nullptr) window = parentWidget() ? parentWidget()->window() : nullptr;
    m_edit->clear();
    filter(QString());
    if (window != nullptr) {
        const QRect area(window->mapToGlobal(QPoint(0, 0)), window->size());
        const int width = std::clamp(area.width() / 2, std::min(420, area.width()), 640);
        move(area.x() + (area.width() - width) / 2, area.y() + area.height() / 8);
        resize(width, height());
    } else {
        resize(520, height());
    }
    fitHeight();
    show();
    activateWindow();
    m_edit->setFocus(Qt::PopupFocusReason);
}

int QuickSwitcher::visibleCount() const {
    return m_model->rowCount(QModelIndex());
}

QuickSwitcher::Entry QuickSwitcher::visibleEntry(int row) const {
    const Entry* e = m_model->entry(row);
    return e ? *e : Entry{};
}

int QuickSwitcher::matchScore(const QString& text, const QString& pattern) {
    return score(text, text.toLower(), pattern.trimmed().toLower());
}

bool QuickSwitcher::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        switch (key->key()) {
            case Qt::Key_Up:
                moveCurrent(-1);
                return true;
            case Qt::Key_Down:
                moveCurrent(1);
                return true;
            case Qt::Key_PageUp:
                moveCurrent(-kVisibleRows);
                return true;
            case Qt::Key_PageDown:
                moveCurrent(kVisibleRows);
                return true;
            case Qt::Key_Return:
            case Qt::Key_Enter:
                activateRow(m_list->currentIndex().row());
                return true;
            case Qt::Key_Escape:
                hide();
                return true;
            default:
                break;
        }
    }
    return QFrame::eventFilter(watched, event);
}

void QuickSwitcher::paintEvent(QPaintEvent* event) {
    QFrame::paintEvent(event);
    QPainter painter(this);
    const QPalette& p = palette();
    const bool dark = p.color(QPalette::Window).lightness() < 128;
    painter.setPen(dark ? p.color(QPalette::Window).lighter(190) : p.color(QPalette::Dark));
    painter.drawRect(rect().adjusted(0, 0, -1, -1));
}

void QuickSwitcher::filter(const QString& pattern) {
    m_model->setPattern(pattern);
    m_list->setCurrentIndex(QModelIndex());
    moveCurrent(0);
    fitHeight();
}

void QuickSwitcher::fitHeight() {
    const int rows = std::min(visibleCount(), kVisibleRows);
    m_list->setVisible(rows > 0);
    const int rowHeight = std::max(m_list->sizeHintForRow(0), fontMetrics().height() + 10);
    const QMargins margins = layout()->contentsMargins();
    int height = margins.top() + margins.bottom() + m_edit->sizeHint().height();
    if (rows > 0) height += layout()->spacing() + rows * rowHeight + 2 * m_list->frameWidth();
    m_list->setFixedHeight(rows * rowHeight + 2 * m_list->frameWidth());
    // The layout keeps the window's minimum height from the previous, longer list until it is
    // activated, which would stop the popup from shrinking.
    layout()->activate();
    resize(width(), height);
}

void QuickSwitcher::moveCurrent(int delta) {
    const int rows = visibleCount();
    if (rows == 0) return;
    const int current = m_list->currentIndex().isValid() ? m_list->currentIndex().row() : 0;
    const int row = std::clamp(current + delta, 0, rows - 1);
    const QModelIndex index = m_model->index(row, 0);
    m_list->setCurrentIndex(index);
    m_list->scrollTo(index);
}

void QuickSwitcher::activateRow(int row) {
    const Entry* e = m_model->entry(row);
    if (e == nullptr) return;
    // Copy before hiding: a receiver may replace the entries.
    const Kind kind = e->kind;
    const QString id = e->id;
    hide();
    emit activated(kind, id);
}

}  // namespace partita::ui
