// MessageSearchBar: the search row of the message browser (see messagesearchbar.h).
#include "ui/messagesearchbar.h"

#include "models/messagemodel.h"
#include "ui/utctoggle.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace partita::ui {

MessageSearchBar::MessageSearchBar(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 0);
    layout->setSpacing(2);
    auto* row = new QHBoxLayout;

    m_expression = new QLineEdit(this);
    m_expression->setClearButtonEnabled(true);
    m_expression->setPlaceholderText(
        tr("Search in the broker: text, /regex/i, key == \"k\", $.status == \"active\", $.amount > 10, "
           "header.trace exists, offset >= 100 … (and, or, not)"));
    m_expression->setToolTip(
        tr("<p>Plain text matches the key or the value. <code>/re/i</code> is a regular expression (RE2).</p>"
           "<p><code>key</code>, <code>value</code>, <code>header.NAME</code>, <code>headers</code> with "
           "<code>contains</code>, <code>==</code>, <code>!=</code>, <code>~ /re/</code>, <code>exists</code>.</p>"
           "<p>JSON fields: <code>$.a.b</code>, <code>$.tags[0]</code> with == != &lt; &lt;= &gt; &gt;=, "
           "<code>between 1 and 9</code>, <code>exists</code>, <code>contains</code>.</p>"
           "<p><code>offset</code> and <code>timestamp</code> (ms) compare as numbers. Combine with and, or, "
           "not and parentheses.</p><p>The search starts where the toolbar says and runs to the end "
           "offsets of when it starts, or to the end time.</p>"));
    m_untilCheck = new QCheckBox(tr("Until"), this);
    m_untilCheck->setToolTip(tr("Stop at messages written at or after this time"));
    m_until = new QDateTimeEdit(QDateTime::currentDateTime(), this);
    m_until->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_until->setCalendarPopup(true);
    m_until->setEnabled(false);
    m_search = new QPushButton(tr("Search"), this);
    m_search->setToolTip(tr("Search the range in the broker's messages (Enter)"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setVisible(false);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(120);
    m_progress->setVisible(false);
    row->addWidget(m_expression, 1);
    row->addWidget(m_untilCheck);
    row->addWidget(m_until);
    row->addWidget(m_search);
    row->addWidget(m_cancel);
    row->addWidget(m_progress);
    layout->addLayout(row);

    auto* second = new QHBoxLayout;
    m_problem = new QLabel(this);
    m_problem->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_problem->setVisible(false);
    m_stats = new QLabel(this);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    second->addWidget(m_problem);
    second->addWidget(m_stats, 1);
    layout->addLayout(second);

    connect(m_untilCheck, &QCheckBox::toggled, m_until, &QWidget::setEnabled);
    connect(m_expression, &QLineEdit::textChanged, this, &MessageSearchBar::checkExpression);
    auto request = [this] {
        if (m_search->isEnabled() && m_search->isVisible()) emit searchRequested(m_expression->text());
    };
    connect(m_expression, &QLineEdit::returnPressed, this, request);
    connect(m_search, &QPushButton::clicked, this, request);
    connect(m_cancel, &QPushButton::clicked, this, &MessageSearchBar::cancelRequested);
}

qint64 MessageSearchBar::untilMs() const {
    return m_untilCheck->isChecked() ? m_until->dateTime().toMSecsSinceEpoch() : -1;
}

void MessageSearchBar::setUtc(bool utc) {
    showInUtc(m_until, utc);
}

void MessageSearchBar::checkExpression() {
    int column = 0;
    const QString problem = models::MessageModel::checkExpression(m_expression->text(), &column);
    m_problem->setVisible(!problem.isEmpty());
    m_problem->setText(problem);
    m_search->setEnabled(problem.isEmpty());
}

void MessageSearchBar::showProgress(const Progress& progress) {
    const QLocale locale;
    m_search->setVisible(!progress.running);
    m_cancel->setVisible(progress.running);
    m_progress->setVisible(progress.running);
    if (progress.total > 0) m_progress->setValue(int(qMin<quint64>(1000, progress.done * 1000 / progress.total)));
    QString text =
        tr("%1 scanned · %2 matched · %3 s")
            .arg(locale.toString(qulonglong(progress.scanned)), locale.toString(qulonglong(progress.matched)),
                 locale.toString(double(progress.elapsedMs) / 1000.0, 'f', 1));
    if (!progress.error.isEmpty())
        text = tr("Search failed: %1 (%2)").arg(progress.error, text);
    else if (progress.cancelled)
        text = tr("Cancelled: %1").arg(text);
    else if (progress.limitReached)
        text = tr("Stopped at the first %1 matches: %2. Narrow the search or export the result for all of them.")
                   .arg(locale.toString(progress.rowLimit), text);
    else if (!progress.running)
        text = tr("Done: %1").arg(text);
    m_stats->setText(text);
}

void MessageSearchBar::clearProgress() {
    m_search->setVisible(true);
    m_cancel->setVisible(false);
    m_progress->setVisible(false);
    m_stats->clear();
}

}  // namespace partita::ui
