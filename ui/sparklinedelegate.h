// SparklineDelegate: paints a small line of a row's recent values (topics and groups lists), read
// from a custom role (a QList<double>) or from a callback.
#pragma once

#include <QColor>
#include <QList>
#include <QStyledItemDelegate>

#include <functional>

namespace partita::ui {

class SparklineDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    // The role a model can answer with a QList<double> (oldest first) when no callback is set.
    static constexpr int ValuesRole = Qt::UserRole + 0x5a1;
    using ValuesFunction = std::function<QList<double>(const QModelIndex&)>;

    explicit SparklineDelegate(QObject* parent = nullptr);

    // Where the values come from instead of ValuesRole (the lead's cache of recent samples, say).
    void setValuesFunction(ValuesFunction function) { m_values = std::move(function); }
    // The line's colour; invalid (the default): the palette's highlight colour.
    void setColor(const QColor& color) { m_color = color; }

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    QList<double> valuesAt(const QModelIndex& index) const;

private:
    ValuesFunction m_values;
    QColor m_color;
};

}  // namespace partita::ui
