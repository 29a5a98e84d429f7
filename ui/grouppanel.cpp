// GroupPanel: wires a GroupLagModel to its table and labels, the reset dialog, and the delete
// request (on an engine thread, its answer re-posted to the GUI thread).
#include "ui/grouppanel.h"

#include "models/clustersession.h"
#include "models/grouplagmodel.h"
#include "ui/chartbelow.h"
#include "ui/readonlytable.h"
#include "ui/resetoffsetsdialog.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace partita::ui {

using models::GroupLagModel;

GroupPanel::GroupPanel(models::ClusterSession* session, const QString& groupId, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_groupId(groupId),
      m_lag(session->newGroupLagModel(this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_stateLabel(new QLabel(this)),
      m_summaryLabel(new QLabel(this)),
      m_view(new QTableView(this)),
      m_refreshButton(new QPushButton(tr("Refresh"), this)),
      m_resetButton(new QPushButton(tr("Reset offsets…"), this)),
      m_deleteButton(new QPushButton(tr("Delete group"), this)) {
    m_proxy->setSourceModel(m_lag);
    m_proxy->setSortRole(GroupLagModel::SortRole);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    // Topic then partition: the model's own order, which an unsorted proxy keeps.
    m_view->sortByColumn(-1, Qt::AscendingOrder);
    setUpReadOnlyTable(m_view, 80);
    m_view->horizontalHeader()->setStretchLastSection(true);

    m_summaryLabel->setWordWrap(true);
    m_summaryLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stateLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_deleteButton->setToolTip(tr("Delete the group and its committed offsets (only an inactive group)"));
    m_resetButton->setToolTip(tr("Move the group's committed offsets (only an inactive group)"));

    connect(m_refreshButton, &QPushButton::clicked, this, &GroupPanel::refresh);
    connect(m_resetButton, &QPushButton::clicked, this, [this] { openResetDialog(); });
    connect(m_deleteButton, &QPushButton::clicked, this, &GroupPanel::confirmAndDelete);
    connect(m_lag, &GroupLagModel::stateChanged, this, &GroupPanel::updateLabels);
    connect(m_lag, &GroupLagModel::refreshed, this, &GroupPanel::updateLabels);
    connect(m_lag, &GroupLagModel::errorOccurred, this, &GroupPanel::updateLabels);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 4);
    bar->addWidget(m_stateLabel, 1);
    bar->addWidget(m_refreshButton);
    bar->addWidget(m_resetButton);
    bar->addWidget(m_deleteButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    m_summaryLabel->setContentsMargins(6, 0, 6, 4);
    layout->addWidget(m_summaryLabel);
    layout->addWidget(m_view, 1);

    m_lag->setGroup(groupId);
    updateLabels();
}

GroupPanel::~GroupPanel() = default;

void GroupPanel::setLagChart(QWidget* chart) {
    if (m_lagChart || !chart) return;
    m_lagChart = chart;
    placeChartBelow(m_view, chart);
}

ResetOffsetsDialog* GroupPanel::resetDialog() const {
    return m_resetDialog;
}

void GroupPanel::refresh() {
    m_lag->refresh();
    updateLabels();
}

void GroupPanel::updateLabels() {
    QString state;
    if (!m_deleteError.isEmpty())
        state = tr("Could not delete the group: %1").arg(m_deleteError);
    else if (m_deleting)
        state = tr("Deleting…");
    else if (m_lag->state() == GroupLagModel::State::Failed)
        state = tr("Could not read the lag: %1").arg(m_lag->errorText());
    else if (m_lag->isLoading() && m_lag->groupState().isEmpty())
        state = tr("Loading…");
    else
        state = tr("State: %1").arg(m_lag->groupState().isEmpty() ? tr("unknown") : m_lag->groupState());
    if (m_lag->isLoading() && !m_lag->groupState().isEmpty()) state += tr(" (refreshing…)");
    m_stateLabel->setText(tr("Group %1 · %2").arg(m_groupId, state));

    if (m_lag->rowCount() == 0) {
        m_summaryLabel->setText(m_lag->isLoading() ? QString() : tr("No committed offsets."));
        return;
    }
    QStringList perTopic;
    const QMap<QString, qint64> byTopic = m_lag->lagByTopic();
    for (auto it = byTopic.begin(); it != byTopic.end(); ++it)
        perTopic << tr("%1: %2").arg(it.key(), QLocale().toString(it.value()));
    m_summaryLabel->setText(
        tr("Total lag: %1 · %2").arg(QLocale().toString(m_lag->totalLag()), perTopic.join(QStringLiteral(" · "))));
}

ResetOffsetsDialog* GroupPanel::openResetDialog() {
    if (!m_resetDialog) {
        QStringList topics;
        for (int row = 0; row < m_lag->rowCount(); ++row) {
            const QString topic = m_lag->partitionRow(row)->topic;
            if (!topics.contains(topic)) topics << topic;
        }
        m_resetDialog = new ResetOffsetsDialog(m_session, m_groupId, topics, this);
        m_resetDialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_resetDialog, &ResetOffsetsDialog::offsetsReset, this, [this] {
            refresh();
            emit offsetsReset();
        });
    }
    m_resetDialog->show();
    m_resetDialog->raise();
    m_resetDialog->activateWindow();
    return m_resetDialog;
}

void GroupPanel::confirmAndDelete() {
    // Asynchronous, so the event loop (and queued engine results) keep running while it is open.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Delete consumer group"),
                                tr("Delete the consumer group \"%1\" and all its committed offsets?\n"
                                   "The broker refuses while the group has active members.")
                                    .arg(m_groupId),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this](int result) {
        if (result == QMessageBox::Yes) deleteGroup();
    });
    box->open();
}

void GroupPanel::deleteGroup() {
    if (m_deleting) return;
    m_deleting = true;
    m_deleteError.clear();
    m_deleteButton->setEnabled(false);
    updateLabels();
    m_session->deleteConsumerGroup(m_groupId, this, [this](const QString& error) { onDeleted(error); });
}

void GroupPanel::onDeleted(const QString& error) {
    m_deleting = false;
    m_deleteButton->setEnabled(true);
    m_deleteError = error;
    updateLabels();
    if (error.isEmpty()) {
        m_lag->refresh();
        emit groupDeleted(m_groupId);
    } else {
        emit deleteFailed(error);
    }
}

}  // namespace partita::ui
