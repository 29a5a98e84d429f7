// setUpReadOnlyTable: the look every list table of the app shares.
#pragma once

class QTableView;

namespace partita::ui {

// Whole-row selection, no editing, alternating rows, no row numbers, columns sized to their
// contents but never narrower than `minimumSectionSize`. Callers pick the column that stretches.
void setUpReadOnlyTable(QTableView* view, int minimumSectionSize = 90);

}  // namespace partita::ui
