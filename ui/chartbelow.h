// placeChartBelow: puts a history chart under a panel's table, sharing the room through a splitter
// (the main window keeps splitter sizes per kind of panel).
#pragma once

class QWidget;

namespace partita::ui {

// `table` must sit in its parent's layout; the chart is reparented into the new splitter.
void placeChartBelow(QWidget* table, QWidget* chart);

}  // namespace partita::ui
