// ProduceResultsTable: the producer dialog's table of the latest send results (number, partition,
// offset, timestamp or the error in red), bounded so a bulk cannot grow it without end.
#pragma once

#include <QString>
#include <QTableWidget>

namespace partita::ui {

class ProduceResultsTable : public QTableWidget {
    Q_OBJECT
public:
    enum Column { NumberColumn, PartitionColumn, OffsetColumn, OutcomeColumn };
    // Older rows are dropped beyond this.
    static constexpr int kMaxRows = 1000;

    explicit ProduceResultsTable(QWidget* parent = nullptr);

    // Appends a row and scrolls to it. `number` is 1-based; `error` empty on success.
    void addResult(qint64 number, int partition, qint64 offset, qint64 timestamp, const QString& error);
    // The error of a row, empty for a delivered one.
    QString errorAt(int row) const;
};

}  // namespace partita::ui
