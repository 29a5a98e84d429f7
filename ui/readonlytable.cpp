// The shared setup of the app's read-only tables.
#include "ui/readonlytable.h"

#include <QHeaderView>
#include <QTableView>

namespace partita::ui {

void setUpReadOnlyTable(QTableView* view, int minimumSectionSize) {
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setMinimumSectionSize(minimumSectionSize);
}

}  // namespace partita::ui
