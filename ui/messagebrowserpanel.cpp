// MessageBrowserPanel: the toolbar, the message table and the detail pane of one topic's browser.
#include "ui/messagebrowserpanel.h"

#include "models/clustersession.h"
#include "models/clustersnapshot.h"
#include "models/messagemodel.h"
#include "ui/messageexportrunner.h"
#include "ui/messagesearchbar.h"
#include "ui/producerdialog.h"
#include "ui/utctoggle.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QStringDecoder>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace partita::ui {

using models::MessageModel;

namespace {

// The toolbar's start position; nullopt with the reason in `error` when it is incomplete.
std::optional<MessageModel::Start> chosenStart(const MessageBrowserPanel& panel, QString* error) {
    switch (MessageBrowserPanel::StartChoice(panel.startCombo()->currentData().toInt())) {
        case MessageBrowserPanel::LastN:
            return MessageModel::Start::last(panel.lastCountSpin()->value());
        case MessageBrowserPanel::Beginning:
            return MessageModel::Start::beginning();
        case MessageBrowserPanel::End:
            return MessageModel::Start::end();
        case MessageBrowserPanel::AtOffset:
            return MessageModel::Start::offset(panel.offsetSpin()->value());
        case MessageBrowserPanel::AtTimestamp:
            return MessageModel::Start::timestamp(panel.timestampEdit()->dateTime().toMSecsSinceEpoch());
        case MessageBrowserPanel::GroupOffsets:
            if (!panel.groupCombo()->currentText().isEmpty())
                return MessageModel::Start::committed(panel.groupCombo()->currentText());
            break;
    }
    *error = MessageBrowserPanel::tr("Choose a consumer group");
    return std::nullopt;
}

// The text of one JSON value in the tree's value column (containers show their size).
QString jsonCell(const QJsonValue& value) {
    switch (value.type()) {
        case QJsonValue::Object:
            return QStringLiteral("{%1}").arg(value.toObject().size());
        case QJsonValue::Array:
            return QStringLiteral("[%1]").arg(value.toArray().size());
        case QJsonValue::String:
            return QLatin1Char('"') + value.toString() + QLatin1Char('"');
        case QJsonValue::Bool:
            return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        case QJsonValue::Double:
            return QString::number(value.toDouble(), 'g', 17);
        case QJsonValue::Null:
            return QStringLiteral("null");
        case QJsonValue::Undefined:
            break;
    }
    return {};
}

void appendJson(QStandardItem* parent, const QString& key, const QJsonValue& value) {
    auto* keyItem = new QStandardItem(key);
    auto* valueItem = new QStandardItem(jsonCell(value));
    keyItem->setEditable(false);
    valueItem->setEditable(false);
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) appendJson(keyItem, it.key(), it.value());
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) appendJson(keyItem, QStringLiteral("[%1]").arg(i), array.at(i));
    }
    parent->appendRow({keyItem, valueItem});
}

// A JSON object or array (scalars are shown as text: a tree of one node tells nothing).
std::optional<QJsonDocument> parseJson(const QByteArray& bytes) {
    QJsonParseError error;
    QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || (!doc.isObject() && !doc.isArray())) return std::nullopt;
    return doc;
}

QString sizeText(qint64 bytes) {
    if (bytes == 1) return QObject::tr("1 byte");
    if (bytes < 1024) return QObject::tr("%1 bytes").arg(bytes);
    if (bytes < 1024 * 1024) return QObject::tr("%1 KB").arg(double(bytes) / 1024, 0, 'f', 1);
    return QObject::tr("%1 MB").arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
}

}  // namespace

MessageBrowserPanel::MessageBrowserPanel(models::ClusterSession* session, const QString& topic, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_topic(topic),
      m_model(new MessageModel(session, this)),
      m_proxy(new QSortFilterProxyModel(this)) {
    m_proxy->setSourceModel(m_model);
    // Numbers (offsets, sizes, times) sort as numbers; sorting covers the loaded window only.
    m_proxy->setSortRole(MessageModel::SortRole);

    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    // The model's own order (time) until the user clicks a header.
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    // Fixed row heights and column widths: measuring thousands of rows would stall paging.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    const int digit = m_view->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    auto* header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->resizeSection(MessageModel::Partition, digit * 9);
    header->resizeSection(MessageModel::Offset, digit * 11);
    header->resizeSection(MessageModel::Timestamp, digit * 24);
    header->resizeSection(MessageModel::TimestampType, digit * 12);
    header->resizeSection(MessageModel::Key, digit * 16);
    header->resizeSection(MessageModel::Value, digit * 48);
    header->resizeSection(MessageModel::HeaderCount, digit * 9);
    header->resizeSection(MessageModel::Size, digit * 9);
    header->resizeSection(MessageModel::Codec, digit * 8);

    m_copyAsKcat = new QAction(tr("Copy as kcat"), this);
    m_copyAsKcat->setToolTip(tr("Copy the selected messages as key<TAB>value lines"));
    m_copyAsKcat->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_copyAsKcat->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_copyAsKcat->setEnabled(false);
    connect(m_copyAsKcat, &QAction::triggered, this, &MessageBrowserPanel::copySelectionAsKcat);
    m_view->addAction(m_copyAsKcat);
    m_openInProducer = new QAction(tr("Open in producer…"), this);
    m_openInProducer->setToolTip(tr("Send the selected message again, or an edited copy"));
    m_openInProducer->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    m_openInProducer->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_openInProducer->setEnabled(false);
    connect(m_openInProducer, &QAction::triggered, this, &MessageBrowserPanel::openCurrentInProducer);
    m_view->addAction(m_openInProducer);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    m_status = new QLabel(this);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(buildDetail());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(buildToolbar());
    m_searchBar = new MessageSearchBar(this);
    layout->addWidget(m_searchBar);
    layout->addWidget(splitter, 1);
    auto* statusRow = new QHBoxLayout;
    statusRow->setContentsMargins(6, 0, 6, 4);
    statusRow->addWidget(m_status, 1);
    layout->addLayout(statusRow);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MessageBrowserPanel::showCurrent);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        m_copyAsKcat->setEnabled(m_view->selectionModel()->hasSelection());
        m_exportSelected->setEnabled(m_view->selectionModel()->hasSelection());
        m_openInProducer->setEnabled(m_view->selectionModel()->currentIndex().isValid());
    });
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, &MessageBrowserPanel::onScroll);

    connect(m_model, &MessageModel::loadingChanged, this, [this](bool loading) {
        if (!loading && m_fetchingOlder) {
            m_fetchingOlder = false;
            // Keep the row the user was looking at where it was, the older rows above it.
            if (m_olderAnchor.isValid())
                m_view->scrollTo(m_proxy->mapFromSource(m_olderAnchor), QAbstractItemView::PositionAtTop);
            m_olderAnchor = QPersistentModelIndex();
        }
        updateStatus();
    });
    connect(m_model, &MessageModel::errorOccurred, this, [this](const QString& message) {
        m_error = message;
        updateStatus();
    });
    connect(m_model, &MessageModel::followChanged, this, [this](bool following) {
        QSignalBlocker block(m_follow);
        m_follow->setChecked(following);
        updateStatus();
    });
    connect(m_model, &MessageModel::reachedBeginning, this, &MessageBrowserPanel::updateStatus);
    connect(m_model, &MessageModel::reachedEnd, this, &MessageBrowserPanel::updateStatus);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MessageBrowserPanel::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &MessageBrowserPanel::updateStatus);
    // The live tail scrolls along while the user stays at the bottom.
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar* bar = m_view->verticalScrollBar();
        m_wasAtBottom = bar->value() == bar->maximum();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        updateStatus();
        if (m_model->isFollowing() && m_wasAtBottom && !m_fetchingOlder && m_proxy->sortColumn() < 0)
            m_view->scrollToBottom();
    });

    connect(m_searchBar, &MessageSearchBar::searchRequested, this, &MessageBrowserPanel::startSearch);
    connect(m_searchBar, &MessageSearchBar::cancelRequested, m_model, &MessageModel::cancelSearch);
    connect(m_model, &MessageModel::searchProgress, this, &MessageBrowserPanel::showSearchProgress);

    connect(m_session, &models::ClusterSession::snapshotReady, this, &MessageBrowserPanel::applySnapshot);
    if (auto snapshot = m_session->snapshot()) applySnapshot(*snapshot);

    openMessages();
}

QWidget* MessageBrowserPanel::buildToolbar() {
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(6, 4, 6, 0);

    m_partition = new QComboBox(bar);
    m_partition->addItem(tr("All partitions"), kAllPartitions);
    m_partition->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_partition->setToolTip(tr("The partitions to read or search (\"Several…\" picks any set)"));
    connect(m_partition, &QComboBox::activated, this, [this](int index) {
        if (m_partition->itemData(index).toInt() == kChoosePartitions) choosePartitions();
    });

    m_start = new QComboBox(bar);
    m_start->addItem(tr("Last"), LastN);
    m_start->addItem(tr("Beginning"), Beginning);
    m_start->addItem(tr("End (new only)"), End);
    m_start->addItem(tr("Offset"), AtOffset);
    m_start->addItem(tr("Timestamp"), AtTimestamp);
    m_start->addItem(tr("Consumer group"), GroupOffsets);

    m_startArgs = new QStackedWidget(bar);
    m_lastCount = new QSpinBox;
    m_lastCount->setRange(1, 1000000);
    m_lastCount->setValue(500);
    m_lastCount->setSuffix(tr(" messages"));
    m_lastCount->setToolTip(tr("Spread over the chosen partitions"));
    m_offset = new QSpinBox;
    m_offset->setRange(0, std::numeric_limits<int>::max());
    m_offset->setToolTip(tr("The offset to start at in each chosen partition"));
    auto* timeBox = new QWidget;
    auto* timeRow = new QHBoxLayout(timeBox);
    timeRow->setContentsMargins(0, 0, 0, 0);
    m_timestamp = new QDateTimeEdit(QDateTime::currentDateTime().addSecs(-3600));
    m_timestamp->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_timestamp->setCalendarPopup(true);
    m_utc = new QCheckBox(tr("UTC"));
    m_utc->setToolTip(tr("Enter and show times in UTC instead of local time"));
    timeRow->addWidget(m_timestamp);
    timeRow->addWidget(m_utc);
    m_group = new QComboBox;
    m_group->setMinimumContentsLength(16);
    m_group->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_startArgs->addWidget(m_lastCount);
    m_startArgs->addWidget(new QWidget);  // Beginning: nothing to choose
    m_startArgs->addWidget(new QWidget);  // End
    m_startArgs->addWidget(m_offset);
    m_startArgs->addWidget(timeBox);
    m_startArgs->addWidget(m_group);
    // As wide as its widest page, not the toolbar's leftover room.
    m_startArgs->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    connect(m_start, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_startArgs->setCurrentIndex(index);
        // Beginning and End take no argument: no empty gap in the toolbar.
        m_startArgs->setVisible(index != Beginning && index != End);
    });
    connect(m_utc, &QCheckBox::toggled, this, &MessageBrowserPanel::setUtc);

    m_isolation = new QComboBox(bar);
    m_isolation->addItem(QStringLiteral("read_committed"));
    m_isolation->addItem(QStringLiteral("read_uncommitted"));
    m_isolation->setToolTip(tr("Whether records of open and aborted transactions are shown (applies on Open)"));

    m_openButton = new QPushButton(tr("Open"), bar);
    m_openButton->setDefault(true);
    connect(m_openButton, &QPushButton::clicked, this, &MessageBrowserPanel::openMessages);

    m_follow = new QToolButton(bar);
    m_follow->setText(tr("Follow"));
    m_follow->setCheckable(true);
    m_follow->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_follow->setToolTip(tr("Live tail: keep reading new messages as they arrive (uncheck to pause)"));
    connect(m_follow, &QToolButton::toggled, m_model, &MessageModel::setFollow);

    auto* copyButton = new QToolButton(bar);
    copyButton->setDefaultAction(m_copyAsKcat);

    m_exporter = new MessageExportRunner(m_session, this);
    connect(m_exporter, &MessageExportRunner::finished, this, [this](const QString& outcome, bool failed) {
        m_error = failed ? outcome : QString();
        m_notice = failed ? QString() : outcome;
        updateStatus();
    });
    auto* exportMenu = new QMenu(bar);
    m_exportSelected = exportMenu->addAction(tr("Selected messages…"), this, [this] {
        QList<int> rows;
        for (const QModelIndex& index : m_view->selectionModel()->selectedRows())
            rows << m_proxy->mapToSource(index).row();
        std::sort(rows.begin(), rows.end());
        m_exporter->exportRows(*m_model, rows);
    });
    m_exportLoaded = exportMenu->addAction(tr("All loaded messages…"), this, [this] {
        QList<int> rows;
        for (int row = 0; row < m_model->rowCount(); ++row) rows << row;
        m_exporter->exportRows(*m_model, rows);
    });
    m_exportSearch =
        exportMenu->addAction(tr("Every match of the search…"), this, [this] { m_exporter->exportSearch(*m_model); });
    m_exportSearch->setToolTip(tr("Runs the search again and writes all its matches, beyond the rows shown"));
    auto* produceButton = new QToolButton(bar);
    produceButton->setText(tr("Produce…"));
    produceButton->setToolTip(tr("Send messages to %1").arg(m_topic));
    connect(produceButton, &QToolButton::clicked, this, [this] { openProducer(); });
    auto* exportButton = new QToolButton(bar);
    exportButton->setText(tr("Export"));
    exportButton->setToolTip(tr("Write messages to a JSON Lines or CSV file"));
    exportButton->setMenu(exportMenu);
    exportButton->setPopupMode(QToolButton::InstantPopup);

    row->addWidget(m_partition);
    row->addWidget(new QLabel(tr("Start:"), bar));
    row->addWidget(m_start);
    row->addWidget(m_startArgs);
    row->addWidget(m_isolation);
    row->addWidget(m_openButton);
    row->addSpacing(8);
    row->addWidget(m_follow);
    row->addWidget(copyButton);
    row->addWidget(exportButton);
    row->addWidget(produceButton);
    row->addStretch(1);
    return bar;
}

QWidget* MessageBrowserPanel::buildDetail() {
    auto* detail = new QWidget(this);
    auto* layout = new QVBoxLayout(detail);
    layout->setContentsMargins(0, 0, 0, 0);
    m_detailHeader = new QLabel(tr("Select a message to see it here."), detail);
    m_detailHeader->setContentsMargins(6, 2, 6, 0);
    m_detailHeader->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tabs = new QTabWidget(detail);
    m_tabs->setDocumentMode(true);

    buildBytesPage(m_valuePage);
    buildBytesPage(m_keyPage);
    m_headers = new QTableWidget(0, 2, detail);
    m_headers->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    m_headers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_headers->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_headers->verticalHeader()->hide();
    m_headers->horizontalHeader()->setStretchLastSection(true);

    m_tabs->addTab(m_valuePage.page, tr("Value"));
    m_tabs->addTab(m_keyPage.page, tr("Key"));
    m_tabs->addTab(m_headers, tr("Headers"));
    layout->addWidget(m_detailHeader);
    layout->addWidget(m_tabs, 1);
    return detail;
}

void MessageBrowserPanel::buildBytesPage(BytesPage& page) {
    page.page = new QWidget;
    auto* layout = new QVBoxLayout(page.page);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* top = new QHBoxLayout;
    page.mode = new QComboBox(page.page);
    page.mode->addItem(tr("Auto"), Auto);
    page.mode->addItem(tr("JSON"), Json);
    page.mode->addItem(tr("Text"), Text);
    page.mode->addItem(tr("Hex"), Hex);
    page.note = new QLabel(page.page);
    top->addWidget(new QLabel(tr("View as:"), page.page));
    top->addWidget(page.mode);
    top->addWidget(page.note, 1);
    layout->addLayout(top);

    page.stack = new QStackedWidget(page.page);
    page.json = new QStandardItemModel(this);
    page.tree = new QTreeView;
    page.tree->setModel(page.json);
    page.tree->setUniformRowHeights(true);
    page.tree->setAlternatingRowColors(true);
    page.tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    page.text = new QPlainTextEdit;
    page.text->setReadOnly(true);
    page.text->setLineWrapMode(QPlainTextEdit::NoWrap);
    page.text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    page.stack->addWidget(page.text);
    page.stack->addWidget(page.tree);
    layout->addWidget(page.stack, 1);
    connect(page.mode, &QComboBox::currentIndexChanged, this, [this, &page] { showBytes(page); });
}

QWidget* MessageBrowserPanel::valueShown() const {
    return m_valuePage.stack->currentWidget();
}

void MessageBrowserPanel::showBytes(BytesPage& page) {
    page.json->clear();
    page.text->clear();
    page.note->clear();
    if (!page.bytes) {
        page.text->setPlainText(tr("(null)"));
        page.stack->setCurrentWidget(page.text);
        return;
    }
    const QByteArray& bytes = *page.bytes;
    const auto mode = ViewAs(page.mode->currentData().toInt());
    const bool treeAllowed = bytes.size() < kJsonTreeLimit;
    auto showText = [&](const QString& text) {
        page.text->setPlainText(text);
        page.stack->setCurrentWidget(page.text);
    };
    auto showHex = [&] {
        if (bytes.size() <= kHexViewLimit) {
            page.note->setText(tr("Hex, %1").arg(sizeText(bytes.size())));
            return showText(hexDump(bytes));
        }
        page.note->setText(tr("Hex, %1 (the first %2 shown; export the message for all of it)")
                               .arg(sizeText(bytes.size()), sizeText(kHexViewLimit)));
        showText(hexDump(bytes.left(kHexViewLimit)));
    };

    if (mode == Hex) return showHex();
    if (mode == Auto || mode == Json) {
        // Parsing is cheap next to building the tree: large JSON is shown pretty-printed instead.
        if (auto json = parseJson(bytes)) {
            if (treeAllowed) {
                fillJsonTree(page.json, *json);
                page.json->setHorizontalHeaderLabels({tr("Key"), tr("Value")});
                page.tree->expandToDepth(0);
                page.tree->resizeColumnToContents(0);
                page.tree->setColumnWidth(0, qMax(page.tree->columnWidth(0) + 16, 160));
                page.note->setText(tr("JSON, %1").arg(sizeText(bytes.size())));
                page.stack->setCurrentWidget(page.tree);
                return;
            }
            if (mode == Json) {
                page.note->setText(tr("JSON, %1 (too large for a tree: shown as text)").arg(sizeText(bytes.size())));
                return showText(QString::fromUtf8(json->toJson(QJsonDocument::Indented)));
            }
        } else if (mode == Json) {
            page.note->setText(tr("Not a JSON object or array"));
        }
    }
    if (mode == Text) {
        page.note->setText(tr("Text, %1").arg(sizeText(bytes.size())));
        return showText(QString::fromUtf8(bytes));
    }
    if (auto text = printableText(bytes)) {
        if (page.note->text().isEmpty()) page.note->setText(tr("Text, %1").arg(sizeText(bytes.size())));
        return showText(*text);
    }
    showHex();
}

void MessageBrowserPanel::applySnapshot(const models::ClusterSnapshot& snapshot) {
    const models::TopicInfo* info = snapshot.findTopic(m_topic);
    const int count = info ? int(info->partitions.size()) : 0;
    if (count != m_partitionCount) {
        m_partitionCount = count;
        const QList<int> chosen = chosenPartitions();
        QSignalBlocker block(m_partition);
        while (m_partition->count() > 1) m_partition->removeItem(1);
        for (int p = 0; p < count; ++p) m_partition->addItem(tr("Partition %1").arg(p), p);
        if (count > 2) m_partition->addItem(tr("Several…"), kChoosePartitions);
        setChosenPartitions(chosen);
    }
    const QString group = m_group->currentText();
    QStringList groups;
    for (const auto& g : snapshot.groups) groups << g.groupId;
    QStringList current;
    for (int i = 0; i < m_group->count(); ++i) current << m_group->itemText(i);
    if (groups != current) {
        QSignalBlocker block(m_group);
        m_group->clear();
        m_group->addItems(groups);
        const int index = m_group->findText(group);
        if (index >= 0) m_group->setCurrentIndex(index);
    }
}

QList<int> MessageBrowserPanel::chosenPartitions() const {
    const int p = m_partition->currentData().toInt();
    if (p == kSeveralPartitions) return m_severalPartitions;
    if (p >= 0) return {p};
    return {};
}

void MessageBrowserPanel::setChosenPartitions(QList<int> partitions) {
    std::sort(partitions.begin(), partitions.end());
    partitions.erase(std::unique(partitions.begin(), partitions.end()), partitions.end());
    partitions.removeIf([this](int p) { return p < 0 || (m_partitionCount >= 0 && p >= m_partitionCount); });
    QSignalBlocker block(m_partition);
    if (const int several = m_partition->findData(kSeveralPartitions); several >= 0) m_partition->removeItem(several);
    m_severalPartitions.clear();
    if (partitions.size() == 1) {
        m_partition->setCurrentIndex(qMax(0, m_partition->findData(partitions.front())));
    } else if (partitions.isEmpty() || partitions.size() == m_partitionCount) {
        m_partition->setCurrentIndex(0);
    } else {
        m_severalPartitions = partitions;
        QStringList names;
        for (int p : partitions) names << QString::number(p);
        // Just before "Several…", so choosing again starts from this set.
        const int at = qMax(1, m_partition->findData(kChoosePartitions));
        m_partition->insertItem(at, tr("Partitions %1").arg(names.join(QStringLiteral(", "))), kSeveralPartitions);
        m_partition->setCurrentIndex(at);
    }
}

void MessageBrowserPanel::choosePartitions() {
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Partitions of %1").arg(m_topic));
    auto* list = new QListWidget(&dialog);
    const QList<int> current = m_severalPartitions;
    for (int p = 0; p < m_partitionCount; ++p) {
        auto* item = new QListWidgetItem(tr("Partition %1").arg(p), list);
        item->setData(Qt::UserRole, p);
        item->setCheckState(current.contains(p) ? Qt::Checked : Qt::Unchecked);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(list);
    layout->addWidget(buttons);
    QList<int> chosen = current;
    if (dialog.exec() == QDialog::Accepted) {
        chosen.clear();
        for (int row = 0; row < list->count(); ++row)
            if (list->item(row)->checkState() == Qt::Checked) chosen << list->item(row)->data(Qt::UserRole).toInt();
    }
    setChosenPartitions(chosen);
}

void MessageBrowserPanel::applyIsolation() {
    m_model->setIsolation(m_isolation->currentIndex() == 0 ? client::IsolationLevel::ReadCommitted
                                                           : client::IsolationLevel::ReadUncommitted);
}

void MessageBrowserPanel::openMessages() {
    const auto start = chosenStart(*this, &m_error);
    if (!start) return updateStatus();
    const QList<int> partitions = chosenPartitions();
    applyIsolation();
    m_error.clear();
    m_notice.clear();
    m_fetchingOlder = false;
    m_olderAnchor = QPersistentModelIndex();
    m_searchBar->clearProgress();
    m_follow->setEnabled(true);
    const bool follow = m_follow->isChecked();
    m_model->open(m_topic, partitions, *start);
    // A new window keeps following when the user had asked for it.
    if (follow) m_model->setFollow(true);
    updateStatus();
}

void MessageBrowserPanel::startSearch(const QString& expression) {
    const auto start = chosenStart(*this, &m_error);
    if (!start) return updateStatus();
    applyIsolation();
    m_error.clear();
    m_notice.clear();
    m_fetchingOlder = false;
    m_olderAnchor = QPersistentModelIndex();
    {
        // Results are a fixed set, not a window to page or tail.
        QSignalBlocker block(m_follow);
        m_follow->setChecked(false);
    }
    m_follow->setEnabled(false);
    if (m_model->search(m_topic, chosenPartitions(), expression, {*start, m_searchBar->untilMs()}))
        showSearchProgress();
    updateStatus();
}

void MessageBrowserPanel::showSearchProgress() {
    const MessageModel::SearchStats& stats = m_model->searchStats();
    MessageSearchBar::Progress progress;
    progress.scanned = stats.scanned;
    progress.matched = stats.matched;
    progress.done = stats.doneOffsets;
    progress.total = stats.totalOffsets;
    progress.elapsedMs = stats.elapsedMs;
    progress.running = m_model->isSearching();
    progress.cancelled = stats.cancelled;
    progress.limitReached = stats.limitReached;
    progress.rowLimit = m_model->maxRows();
    progress.error = stats.error;
    m_searchBar->showProgress(progress);
}

void MessageBrowserPanel::onScroll(int value) {
    const QScrollBar* bar = m_view->verticalScrollBar();
    // Only a real scroll to the top asks for older rows (not an empty or unscrollable view).
    if (value != bar->minimum() || bar->maximum() == bar->minimum()) return;
    if (m_fetchingOlder || m_model->isLoading() || m_model->atBeginning() || m_model->rowCount() == 0 ||
        m_model->inSearchMode())
        return;
    m_olderAnchor = m_proxy->mapToSource(m_view->indexAt(QPoint(0, 0)));
    m_fetchingOlder = true;
    m_model->fetchOlder();
    if (!m_model->isLoading()) m_fetchingOlder = false;  // nothing was asked for
    updateStatus();
}

void MessageBrowserPanel::showCurrent() {
    const QModelIndex index = m_view->selectionModel()->currentIndex();
    if (!index.isValid()) {
        m_detailHeader->setText(tr("Select a message to see it here."));
        m_valuePage.bytes.reset();
        m_keyPage.bytes.reset();
        showBytes(m_valuePage);
        showBytes(m_keyPage);
        m_headers->setRowCount(0);
        return;
    }
    auto bytesOf = [&](int role) -> std::optional<QByteArray> {
        const QVariant v = index.data(role);
        if (v.isNull()) return std::nullopt;
        return v.toByteArray();
    };
    m_valuePage.bytes = bytesOf(MessageModel::ValueBytesRole);
    m_keyPage.bytes = bytesOf(MessageModel::KeyBytesRole);
    showBytes(m_valuePage);
    showBytes(m_keyPage);

    const QVariantList headers = index.data(MessageModel::HeadersRole).toList();
    m_headers->setRowCount(int(headers.size()));
    for (int row = 0; row < headers.size(); ++row) {
        const QVariantMap header = headers.at(row).toMap();
        const QVariant value = header.value(QStringLiteral("value"));
        QString text;
        if (value.isNull())
            text = tr("(null)");
        else if (auto printable = printableText(value.toByteArray()))
            text = *printable;
        else
            text = QString::fromLatin1(value.toByteArray().toHex(' '));
        m_headers->setItem(row, 0, new QTableWidgetItem(header.value(QStringLiteral("name")).toString()));
        m_headers->setItem(row, 1, new QTableWidgetItem(text));
    }
    m_tabs->setTabText(2, tr("Headers (%1)").arg(headers.size()));

    const QModelIndex source = m_proxy->mapToSource(index);
    m_detailHeader->setText(
        tr("Partition %1 · offset %2 · %3 · %4")
            .arg(index.data(MessageModel::PartitionRole).toInt())
            .arg(index.data(MessageModel::OffsetRole).toLongLong())
            .arg(m_model->index(source.row(), MessageModel::Timestamp).data().toString(),
                 m_model->index(source.row(), MessageModel::Size).data().toString() + QLatin1Char(' ') + tr("bytes")));
}

void MessageBrowserPanel::updateStatus() {
    QStringList parts;
    const int rows = m_model->rowCount();
    parts << (rows == 1 ? tr("1 message loaded") : tr("%1 messages loaded").arg(QLocale().toString(rows)));
    if (m_model->inSearchMode())
        parts[0] = rows == 1 ? tr("1 match shown") : tr("%1 matches shown").arg(QLocale().toString(rows));
    if (m_model->isLoading())
        parts << (m_model->isSearching() ? tr("searching…") : m_fetchingOlder ? tr("loading older…") : tr("loading…"));
    if (m_model->isFollowing()) parts << tr("following");
    if (m_model->rowCount() > 0 && m_model->atBeginning()) parts << tr("at the beginning");
    if (m_model->rowCount() > 0 && m_model->atEnd() && !m_model->isFollowing() && !m_model->inSearchMode())
        parts << tr("at the end");
    if (!m_notice.isEmpty()) parts << m_notice;
    QString text = parts.join(QStringLiteral(" · "));
    if (!m_error.isEmpty()) text += QStringLiteral(" · ") + tr("Error: %1").arg(m_error);
    m_status->setText(text);
    m_exportSelected->setEnabled(m_view->selectionModel()->hasSelection());
    m_exportLoaded->setEnabled(rows > 0);
    m_exportSearch->setEnabled(m_model->inSearchMode() && !m_model->isSearching() && rows > 0);
    m_status->setStyleSheet(m_error.isEmpty() ? QString() : QStringLiteral("color: #c62828;"));
}

void MessageBrowserPanel::setUtc(bool utc) {
    // The table's time column follows the fields.
    showInUtc(m_timestamp, utc);
    m_model->setTimestampsInUtc(utc);
    m_searchBar->setUtc(utc);
    showCurrent();
}

ProducerDialog* MessageBrowserPanel::openProducer() {
    auto* dialog = new ProducerDialog(m_session, m_topic, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

ProducerDialog* MessageBrowserPanel::openCurrentInProducer() {
    const QModelIndex index = m_view->selectionModel()->currentIndex();
    if (!index.isValid()) return nullptr;
    auto bytesOf = [&](const QVariant& v) -> std::optional<QByteArray> {
        if (v.isNull()) return std::nullopt;
        return v.toByteArray();
    };
    QList<QPair<QString, std::optional<QByteArray>>> headers;
    for (const QVariant& header : index.data(MessageModel::HeadersRole).toList()) {
        const QVariantMap pair = header.toMap();
        headers.append({pair.value(QStringLiteral("name")).toString(), bytesOf(pair.value(QStringLiteral("value")))});
    }
    ProducerDialog* dialog = openProducer();
    dialog->setMessage(bytesOf(index.data(MessageModel::KeyBytesRole)),
                       bytesOf(index.data(MessageModel::ValueBytesRole)), headers,
                       index.data(MessageModel::PartitionRole).toInt());
    return dialog;
}

void MessageBrowserPanel::copySelectionAsKcat() {
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QStringList lines;
    auto bytesOf = [](const QModelIndex& index, int role) -> std::optional<QByteArray> {
        const QVariant v = index.data(role);
        if (v.isNull()) return std::nullopt;
        return v.toByteArray();
    };
    for (const QModelIndex& index : rows)
        lines << kcatLine(bytesOf(index, MessageModel::KeyBytesRole), bytesOf(index, MessageModel::ValueBytesRole));
    if (!lines.isEmpty()) QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
}

QString MessageBrowserPanel::hexDump(const QByteArray& bytes) {
    static const char digits[] = "0123456789abcdef";
    QString out;
    out.reserve((bytes.size() / 16 + 1) * 78);
    for (qsizetype line = 0; line < bytes.size(); line += 16) {
        out += QStringLiteral("%1  ").arg(line, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (qsizetype i = line; i < line + 16; ++i) {
            if (i < bytes.size()) {
                const auto byte = static_cast<unsigned char>(bytes.at(i));
                out += QLatin1Char(digits[byte >> 4]);
                out += QLatin1Char(digits[byte & 0xf]);
                out += QLatin1Char(' ');
                ascii += (byte >= 0x20 && byte < 0x7f) ? QLatin1Char(char(byte)) : QLatin1Char('.');
            } else {
                out += QStringLiteral("   ");
            }
            if (i == line + 7) out += QLatin1Char(' ');
        }
        out += QLatin1Char(' ');
        out += ascii;
        out += QLatin1Char('\n');
    }
    return out;
}

std::optional<QString> MessageBrowserPanel::printableText(const QByteArray& bytes) {
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(bytes);
    if (decoder.hasError()) return std::nullopt;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7f) return std::nullopt;
    }
    return text;
}

void MessageBrowserPanel::fillJsonTree(QStandardItemModel* tree, const QJsonDocument& json) {
    tree->clear();
    tree->setColumnCount(2);
    QStandardItem* root = tree->invisibleRootItem();
    if (json.isObject()) {
        const QJsonObject object = json.object();
        for (auto it = object.begin(); it != object.end(); ++it) appendJson(root, it.key(), it.value());
    } else if (json.isArray()) {
        const QJsonArray array = json.array();
        for (qsizetype i = 0; i < array.size(); ++i) appendJson(root, QStringLiteral("[%1]").arg(i), array.at(i));
    }
}

QString MessageBrowserPanel::kcatLine(const std::optional<QByteArray>& key, const std::optional<QByteArray>& value) {
    auto field = [](const std::optional<QByteArray>& bytes) -> QString {
        if (!bytes) return {};
        if (auto text = printableText(*bytes)) return *text;
        return QString::fromLatin1(bytes->toHex());
    };
    return field(key) + QLatin1Char('\t') + field(value);
}

}  // namespace partita::ui
