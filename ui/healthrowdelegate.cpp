// HealthRowDelegate: the background of flagged rows from ui/theme's danger and warning colours.
#include "ui/healthrowdelegate.h"

#include "ui/theme.h"

namespace partita::ui {

HealthRowDelegate::HealthRowDelegate(int dangerRole, int warningRole, QObject* parent)
    : QStyledItemDelegate(parent), m_dangerRole(dangerRole), m_warningRole(warningRole) {}

void HealthRowDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(m_dangerRole).toBool())
        option->backgroundBrush = dangerBackground(option->palette);
    else if (index.data(m_warningRole).toBool())
        option->backgroundBrush = warningBackground(option->palette);
}

}  // namespace partita::ui
