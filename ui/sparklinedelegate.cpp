// SparklineDelegate: the sparkline cell painter.
#include "ui/sparklinedelegate.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace partita::ui {

SparklineDelegate::SparklineDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

QList<double> SparklineDelegate::valuesAt(const QModelIndex& index) const {
    if (m_values) return m_values(index);
    return index.data(ValuesRole).value<QList<double>>();
}

void SparklineDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    // The cell's background, selection and focus as any other cell, without its text.
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    opt.icon = QIcon();
    const QWidget* widget = option.widget;
    QStyle* style = widget != nullptr ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QList<double> values = valuesAt(index);
    if (values.size() < 2) return;
    const QRectF area = QRectF(option.rect).adjusted(4, 3, -6, -3);
    if (area.width() < 4 || area.height() < 4) return;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    // A flat series sits in the middle rather than on an edge.
    const double span = *hi - *lo;
    const auto point = [&](qsizetype i) {
        const double x = area.left() + area.width() * double(i) / double(values.size() - 1);
        const double y = span > 0 ? area.bottom() - area.height() * (values[i] - *lo) / span : area.center().y();
        return QPointF(x, y);
    };
    QPainterPath path(point(0));
    for (qsizetype i = 1; i < values.size(); ++i) path.lineTo(point(i));

    const bool selected = (option.state & QStyle::State_Selected) != 0;
    QColor color = m_color.isValid() ? m_color : option.palette.color(QPalette::Highlight);
    if (selected) color = option.palette.color(QPalette::HighlightedText);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(color, 1.5));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path);
    painter->setBrush(color);
    painter->setPen(Qt::NoPen);
    painter->drawEllipse(point(values.size() - 1), 2.0, 2.0);  // the latest value
    painter->restore();
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    return QSize(std::max(size.width(), 80), std::max(size.height(), 20));
}

}  // namespace partita::ui
