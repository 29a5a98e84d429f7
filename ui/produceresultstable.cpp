// ProduceResultsTable: one row per send result, errors in red with the full text as a tooltip.
#include "ui/produceresultstable.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLocale>

namespace partita::ui {

namespace {

constexpr int kErrorRole = Qt::UserRole + 1;

}  // namespace

ProduceResultsTable::ProduceResultsTable(QWidget* parent) : QTableWidget(0, 4, parent) {
    setHorizontalHeaderLabels({tr("#"), tr("Partition"), tr("Offset"), tr("Timestamp / error")});
    horizontalHeader()->setStretchLastSection(true);
    verticalHeader()->setVisible(false);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setWordWrap(false);
}

void ProduceResultsTable::addResult(qint64 number, int partition, qint64 offset, qint64 timestamp,
                                    const QString& error) {
    if (rowCount() >= kMaxRows) removeRow(0);
    const int row = rowCount();
    insertRow(row);
    const QString outcome =
        !error.isEmpty() ? error
        : timestamp >= 0 ? QDateTime::fromMSecsSinceEpoch(timestamp).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))
                         : tr("delivered");
    const QString texts[] = {QLocale().toString(number), partition >= 0 ? QString::number(partition) : QString(),
                             error.isEmpty() && offset >= 0 ? QString::number(offset) : QString(), outcome};
    for (int column = 0; column < columnCount(); ++column) {
        auto* item = new QTableWidgetItem(texts[column]);
        if (column != OutcomeColumn) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (!error.isEmpty()) {
            item->setForeground(QColor(0xc6, 0x28, 0x28));
            item->setData(kErrorRole, error);
            item->setToolTip(error);
        }
        setItem(row, column, item);
    }
    scrollToBottom();
}

QString ProduceResultsTable::errorAt(int row) const {
    const QTableWidgetItem* cell = item(row, OutcomeColumn);
    return cell ? cell->data(kErrorRole).toString() : QString();
}

}  // namespace partita::ui
