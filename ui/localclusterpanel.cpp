// LocalClusterPanel: shows the brokers' process states and log, and turns buttons into requests.
#include "ui/localclusterpanel.h"

#include "ui/icons.h"
#include "ui/readonlytable.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace partita::ui {

namespace {

enum Column { IdColumn, StateColumn, AddressColumn, PidColumn, LastExitColumn, ColumnCount };

constexpr int kLogLines = 500;

}  // namespace

QString LocalClusterPanel::stateName(State state) {
    switch (state) {
        case State::Stopped:
            return tr("Stopped");
        case State::Starting:
            return tr("Starting…");
        case State::Running:
            return tr("Running");
        case State::Stopping:
            return tr("Stopping…");
        case State::Crashed:
            return tr("Crashed");
    }
    return {};
}

LocalClusterPanel::LocalClusterPanel(QWidget* parent)
    : QWidget(parent),
      m_dataDir(new QLabel(this)),
      m_error(new QLabel(this)),
      m_table(new QTableWidget(0, ColumnCount, this)),
      m_log(new QPlainTextEdit(this)),
      m_start(new QPushButton(icon(QStringLiteral("start")), tr("&Start"), this)),
      m_stop(new QPushButton(icon(QStringLiteral("stop")), tr("S&top"), this)),
      m_restart(new QPushButton(icon(QStringLiteral("restart")), tr("&Restart broker"), this)),
      m_wipe(new QPushButton(icon(QStringLiteral("wipe")), tr("&Wipe data…"), this)),
      m_sampleData(new QPushButton(icon(QStringLiteral("sample-data")), tr("Create s&ample data"), this)),
      m_keepRunning(new QCheckBox(tr("&Keep running when Partita quits"), this)) {
    m_dataDir->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->hide();
    m_keepRunning->setToolTip(
        tr("Applies to brokers started from now on: they run on after Partita quits, and the "
           "next start of Partita adopts them."));
    m_sampleData->setToolTip(
        tr("Creates the topics user-events, orders and users (compacted) with realistic records, and a consumer "
           "group order-service with some lag."));

    m_table->setHorizontalHeaderLabels({tr("Broker"), tr("State"), tr("Address"), tr("PID"), tr("Last exit")});
    setUpReadOnlyTable(m_table);
    m_table->horizontalHeader()->setSectionResizeMode(LastExitColumn, QHeaderView::Stretch);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        updateButtons();
        emit selectedBrokerChanged(selectedBroker());
    });

    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(kLogLines);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setPlaceholderText(tr("The selected broker's output appears here."));

    connect(m_start, &QPushButton::clicked, this, [this] {
        showError({});
        emit startRequested();
    });
    connect(m_stop, &QPushButton::clicked, this, [this] {
        showError({});
        emit stopRequested();
    });
    connect(m_restart, &QPushButton::clicked, this, [this] {
        showError({});
        if (selectedBroker() > 0) emit restartRequested(selectedBroker());
    });
    connect(m_wipe, &QPushButton::clicked, this, &LocalClusterPanel::confirmWipe);
    connect(m_sampleData, &QPushButton::clicked, this, &LocalClusterPanel::sampleDataRequested);
    connect(m_keepRunning, &QCheckBox::toggled, this, &LocalClusterPanel::keepRunningChanged);

    auto* buttons = new QHBoxLayout;
    for (QPushButton* button : {m_start, m_stop, m_restart, m_wipe, m_sampleData}) buttons->addWidget(button);
    buttons->addStretch();
    buttons->addWidget(m_keepRunning);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_log);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_error);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_dataDir);
    updateButtons();
}

void LocalClusterPanel::setDataDir(const QString& dir) {
    m_dataDir->setText(tr("Data: %1").arg(dir));
}

void LocalClusterPanel::setBrokers(const QList<Broker>& brokers) {
    const int selected = selectedBroker();
    m_brokers = brokers;
    // Rows are updated in place so the selection stays where the user put it.
    m_table->setRowCount(int(brokers.size()));
    for (int row = 0; row < brokers.size(); ++row) {
        const Broker& b = brokers[row];
        const QStringList cells = {QString::number(b.id), stateName(b.state), b.address,
                                   b.pid > 0 ? QString::number(b.pid) : QString(), b.lastExit};
        for (int column = 0; column < ColumnCount; ++column) {
            QTableWidgetItem* item = m_table->item(row, column);
            if (!item) {
                item = new QTableWidgetItem;
                m_table->setItem(row, column, item);
            }
            item->setText(cells[column]);
            // A crashed broker stands out until it is restarted.
            item->setForeground(b.state == State::Crashed ? QBrush(QColor(0xc0, 0x39, 0x2b)) : QBrush());
        }
        // The icon carries the state when the row is selected (the highlight hides the colour).
        const QString stateIcon = b.state == State::Crashed   ? QStringLiteral("error")
                                  : b.state == State::Running ? QStringLiteral("ok")
                                                              : QString();
        m_table->item(row, StateColumn)->setIcon(stateIcon.isEmpty() ? QIcon() : icon(stateIcon));
    }
    if (selected < 0 && !brokers.isEmpty()) m_table->selectRow(0);
    updateButtons();
}

int LocalClusterPanel::selectedBroker() const {
    const auto rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.first().row() >= m_brokers.size()) return -1;
    return m_brokers[rows.first().row()].id;
}

void LocalClusterPanel::setLog(int brokerId, const QStringList& lines) {
    m_logBroker = brokerId;
    m_log->setPlainText(lines.join(QLatin1Char('\n')));
    m_log->moveCursor(QTextCursor::End);
}

void LocalClusterPanel::appendLog(int brokerId, const QString& line) {
    if (brokerId == m_logBroker) m_log->appendPlainText(line);
}

void LocalClusterPanel::setKeepRunning(bool keep) {
    const QSignalBlocker blocker(m_keepRunning);
    m_keepRunning->setChecked(keep);
}

void LocalClusterPanel::showError(const QString& message) {
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void LocalClusterPanel::updateButtons() {
    bool anyActive = false;
    bool allStopped = true;
    for (const Broker& b : m_brokers) {
        if (b.state != State::Stopped && b.state != State::Crashed) allStopped = false;
        if (b.state == State::Starting || b.state == State::Running) anyActive = true;
    }
    m_start->setEnabled(!anyActive);
    m_stop->setEnabled(anyActive);
    m_restart->setEnabled(selectedBroker() > 0);
    m_wipe->setEnabled(allStopped);
    m_wipe->setToolTip(allStopped ? tr("Deletes every topic and record of the local cluster")
                                  : tr("Stop the local cluster first"));
    m_sampleData->setEnabled(anyActive);
}

void LocalClusterPanel::confirmWipe() {
    const auto answer =
        QMessageBox::warning(this, tr("Wipe the local cluster"),
                             tr("Delete every topic, record, consumer group and setting of the local cluster?\n\nThis "
                                "cannot be undone."),
                             QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes) {
        showError({});
        emit wipeRequested();
    }
}

}  // namespace partita::ui
