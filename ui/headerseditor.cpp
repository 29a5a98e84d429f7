// HeadersEditor: the header rows of the producer dialog; binary header values are kept as bytes.
#include "ui/headerseditor.h"

#include "ui/messagebrowserpanel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace partita::ui {

namespace {

// A value that is not printable text keeps its bytes here, so "Open in producer" resends them
// exactly; editing the cell's text drops them.
constexpr int kBytesRole = Qt::UserRole + 1;

}  // namespace

HeadersEditor::HeadersEditor(QWidget* parent)
    : QWidget(parent),
      m_table(new QTableWidget(0, 3, this)),
      m_add(new QPushButton(tr("Add header"), this)),
      m_remove(new QPushButton(tr("Remove"), this)) {
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Value"), tr("Null")});
    m_table->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(NullColumn, QHeaderView::ResizeToContents);
    m_table->setColumnWidth(NameColumn, 160);
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_remove->setEnabled(false);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, [this] {
        const int row = addRow();
        m_table->setCurrentCell(row, NameColumn);
        m_table->editItem(m_table->item(row, NameColumn));
    });
    connect(m_remove, &QPushButton::clicked, this, &HeadersEditor::removeSelected);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            [this] { m_remove->setEnabled(!m_table->selectedItems().isEmpty()); });
    connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
        if (item->column() == ValueColumn && item->data(kBytesRole).isValid() &&
            item->text() != item->data(Qt::UserRole).toString()) {
            // The user typed over a binary value: from now on the cell's text is the value.
            QSignalBlocker block(m_table);
            item->setData(kBytesRole, QVariant());
            item->setForeground(QBrush());
        }
        if (item->column() == NullColumn) {
            // A null header has no value to edit.
            if (QTableWidgetItem* value = m_table->item(item->row(), ValueColumn)) {
                QSignalBlocker block(m_table);
                const bool null = item->checkState() == Qt::Checked;
                value->setFlags(null ? value->flags() & ~Qt::ItemIsEnabled : value->flags() | Qt::ItemIsEnabled);
            }
        }
        emit changed();
    });
}

HeadersEditor::Headers HeadersEditor::headers() const {
    Headers result;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QTableWidgetItem* name = m_table->item(row, NameColumn);
        const QTableWidgetItem* value = m_table->item(row, ValueColumn);
        const QTableWidgetItem* null = m_table->item(row, NullColumn);
        if (!name || name->text().isEmpty()) continue;
        if (null && null->checkState() == Qt::Checked) {
            result.append({name->text(), std::nullopt});
        } else if (value && value->data(kBytesRole).isValid()) {
            result.append({name->text(), value->data(kBytesRole).toByteArray()});
        } else {
            result.append({name->text(), value ? value->text().toUtf8() : QByteArray()});
        }
    }
    return result;
}

void HeadersEditor::setHeaders(const Headers& headers) {
    {
        QSignalBlocker block(m_table);
        m_table->setRowCount(0);
        for (const auto& [name, value] : headers) addRow(name, value);
    }
    emit changed();
}

int HeadersEditor::addRow(const QString& name, const std::optional<QByteArray>& value) {
    QSignalBlocker block(m_table);
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, NameColumn, new QTableWidgetItem(name));
    auto* valueItem = new QTableWidgetItem;
    if (value) {
        if (auto text = MessageBrowserPanel::printableText(*value)) {
            valueItem->setText(*text);
        } else {
            const QString shown = tr("binary, %n byte(s)", nullptr, int(value->size()));
            valueItem->setText(shown);
            valueItem->setData(Qt::UserRole, shown);
            valueItem->setData(kBytesRole, *value);
            valueItem->setForeground(m_table->palette().placeholderText());
            valueItem->setToolTip(QString::fromLatin1(value->left(256).toHex(' ')));
        }
    }
    m_table->setItem(row, ValueColumn, valueItem);
    auto* null = new QTableWidgetItem;
    null->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    null->setCheckState(value ? Qt::Unchecked : Qt::Checked);
    if (!value) valueItem->setFlags(valueItem->flags() & ~Qt::ItemIsEnabled);
    m_table->setItem(row, NullColumn, null);
    return row;
}

void HeadersEditor::removeSelected() {
    QList<int> rows;
    for (const auto& range : m_table->selectedRanges())
        for (int row = range.topRow(); row <= range.bottomRow(); ++row) rows << row;
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : rows) m_table->removeRow(row);
    emit changed();
}

}  // namespace partita::ui
