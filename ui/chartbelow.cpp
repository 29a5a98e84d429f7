// placeChartBelow: a vertical splitter in place of the table, the table above the chart.
#include "ui/chartbelow.h"

#include <QLayout>
#include <QSplitter>
#include <QWidget>

namespace partita::ui {

void placeChartBelow(QWidget* table, QWidget* chart) {
    QWidget* panel = table->parentWidget();
    auto* splitter = new QSplitter(Qt::Vertical, panel);
    panel->layout()->replaceWidget(table, splitter);
    splitter->addWidget(table);
    splitter->addWidget(chart);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
}

}  // namespace partita::ui
