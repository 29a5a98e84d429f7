// ResetOffsetsDialog: the strategy form, the OffsetResetPlan preview table, progress and errors.
#include "ui/resetoffsetsdialog.h"

#include "models/clustersession.h"
#include "models/offsetresetplan.h"
#include "ui/readonlytable.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QTableView>
#include <QVBoxLayout>

namespace partita::ui {

using models::OffsetResetPlan;

ResetOffsetsDialog::ResetOffsetsDialog(models::ClusterSession* session, const QString& groupId,
                                       const QStringList& topics, QWidget* parent)
    : QDialog(parent),
      m_groupId(groupId),
      m_plan(session->newOffsetResetPlan(this)),
      m_strategy(new QComboBox(this)),
      m_value(new QLineEdit(this)),
      m_dateTime(new QDateTimeEdit(QDateTime::currentDateTime(), this)),
      m_topic(new QComboBox(this)),
      m_previewButton(new QPushButton(tr("Preview"), this)),
      m_applyButton(new QPushButton(tr("Apply"), this)),
      m_view(new QTableView(this)),
      m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)) {
    setWindowTitle(tr("Reset offsets — %1").arg(groupId));

    m_strategy->addItem(tr("Earliest"));
    m_strategy->addItem(tr("Latest"));
    m_strategy->addItem(tr("To offset"));
    m_strategy->addItem(tr("To date/time"));
    m_strategy->addItem(tr("Shift by"));
    // Offsets exceed an int, so a validated line edit rather than a spin box; a shift may be negative.
    m_value->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("-?[0-9]{1,18}")), m_value));
    m_value->setPlaceholderText(tr("Offset"));
    m_dateTime->setTimeSpec(Qt::LocalTime);
    m_dateTime->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_dateTime->setCalendarPopup(true);
    m_topic->addItem(tr("All topics"));
    m_topic->addItems(topics);

    m_view->setModel(m_plan);
    setUpReadOnlyTable(m_view, 80);
    // The topic takes the room left over (names are long; the numbers are short).
    m_view->horizontalHeader()->setSectionResizeMode(OffsetResetPlan::TopicColumn, QHeaderView::Stretch);

    // A busy indicator: the plan's work has no measurable steps.
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(8);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout;
    form->addRow(tr("Strategy:"), m_strategy);
    form->addRow(tr("Offset / shift:"), m_value);
    form->addRow(tr("Date/time (local):"), m_dateTime);
    form->addRow(tr("Topic:"), m_topic);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_previewButton, QDialogButtonBox::ActionRole);
    buttons->addButton(m_applyButton, QDialogButtonBox::ActionRole);
    // Neither is the default: Enter in the value field must not commit offsets.
    m_previewButton->setAutoDefault(false);
    m_applyButton->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_previewButton, &QPushButton::clicked, this, &ResetOffsetsDialog::preview);
    connect(m_applyButton, &QPushButton::clicked, this, &ResetOffsetsDialog::apply);
    connect(m_strategy, &QComboBox::currentIndexChanged, this, &ResetOffsetsDialog::markStale);
    connect(m_topic, &QComboBox::currentIndexChanged, this, &ResetOffsetsDialog::markStale);
    connect(m_value, &QLineEdit::textChanged, this, &ResetOffsetsDialog::markStale);
    connect(m_dateTime, &QDateTimeEdit::dateTimeChanged, this, &ResetOffsetsDialog::markStale);

    connect(m_plan, &OffsetResetPlan::planReady, this, [this] {
        // Inputs edited while the plan was built leave it stale.
        m_stale = !m_previewCurrent;
        m_status->setText(
            tr("Preview of %n partition(s). Apply commits the new offsets.", nullptr, m_plan->rowCount()));
        updateControls();
    });
    connect(m_plan, &OffsetResetPlan::planFailed, this, [this](const QString& error) {
        m_status->setText(tr("Could not build the plan: %1").arg(error));
        updateControls();
    });
    connect(m_plan, &OffsetResetPlan::applied, this, [this](bool ok, const QString& error) {
        if (ok) {
            m_status->setText(tr("The new offsets were committed."));
            // Applying twice would do nothing new; a fresh preview shows the current state.
            m_stale = true;
            emit offsetsReset();
        } else {
            m_status->setText(tr("Could not reset the offsets: %1").arg(error));
        }
        updateControls();
    });

    resize(720, 480);
    updateControls();
}

ResetOffsetsDialog::~ResetOffsetsDialog() = default;

void ResetOffsetsDialog::markStale() {
    m_stale = true;
    m_previewCurrent = false;
    updateControls();
}

void ResetOffsetsDialog::updateControls() {
    const int strategy = m_strategy->currentIndex();
    const bool needsNumber = strategy == ToOffsetIndex || strategy == ShiftByIndex;
    m_value->setEnabled(needsNumber);
    m_value->setPlaceholderText(strategy == ShiftByIndex ? tr("Shift (negative goes back)") : tr("Offset"));
    m_dateTime->setEnabled(strategy == ToDateTimeIndex);
    const bool busy = m_plan->isBuilding() || m_plan->isApplying();
    m_progress->setVisible(busy);
    m_previewButton->setEnabled(!m_plan->isApplying() && (!needsNumber || m_value->hasAcceptableInput()));
    m_applyButton->setEnabled(!busy && !m_stale && m_plan->hasPlan() && m_plan->rowCount() > 0);
}

void ResetOffsetsDialog::preview() {
    OffsetResetPlan::Strategy strategy = OffsetResetPlan::Strategy::Earliest;
    qint64 value = 0;
    switch (m_strategy->currentIndex()) {
        case EarliestIndex:
            break;
        case LatestIndex:
            strategy = OffsetResetPlan::Strategy::Latest;
            break;
        case ToOffsetIndex:
            strategy = OffsetResetPlan::Strategy::ToOffset;
            value = m_value->text().toLongLong();
            break;
        case ToDateTimeIndex:
            strategy = OffsetResetPlan::Strategy::ToTimestamp;
            value = m_dateTime->dateTime().toMSecsSinceEpoch();
            break;
        case ShiftByIndex:
            strategy = OffsetResetPlan::Strategy::ShiftBy;
            value = m_value->text().toLongLong();
            break;
    }
    const QString topic = m_topic->currentIndex() > 0 ? m_topic->currentText() : QString();
    m_previewCurrent = true;
    m_plan->build(m_groupId, strategy, value, topic);
    m_status->setText(tr("Building the preview…"));
    updateControls();
}

void ResetOffsetsDialog::apply() {
    if (!m_applyButton->isEnabled()) return;
    m_plan->apply();
    m_status->setText(tr("Committing the new offsets…"));
    updateControls();
}

}  // namespace partita::ui
