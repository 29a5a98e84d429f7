// HealthRowDelegate: paints the rows a model flags as unhealthy (a "danger" and a "warning" bool
// role) with the current theme's colours, so they stay readable on light and dark palettes and
// follow a theme switch at once (the colour is read at paint time, not stored in the model).
#pragma once

#include <QStyledItemDelegate>

namespace partita::ui {

class HealthRowDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    HealthRowDelegate(int dangerRole, int warningRole, QObject* parent = nullptr);

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

private:
    int m_dangerRole;
    int m_warningRole;
};

}  // namespace partita::ui
