// HeadersEditor: the producer's editable table of record headers (name, value, null flag) with
// add / remove buttons.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QWidget>

#include <optional>

class QPushButton;
class QTableWidget;

namespace partita::ui {

class HeadersEditor : public QWidget {
    Q_OBJECT
public:
    using Headers = QList<QPair<QString, std::optional<QByteArray>>>;
    enum Column { NameColumn, ValueColumn, NullColumn };

    explicit HeadersEditor(QWidget* parent = nullptr);

    // Rows with an empty name are left out (an unfinished row is not a header).
    Headers headers() const;
    void setHeaders(const Headers& headers);
    // Appends a row and returns its index.
    int addRow(const QString& name = {}, const std::optional<QByteArray>& value = QByteArray());

    QTableWidget* table() const { return m_table; }
    QPushButton* addButton() const { return m_add; }
    QPushButton* removeButton() const { return m_remove; }

signals:
    void changed();

private:
    void removeSelected();

    QTableWidget* m_table;
    QPushButton* m_add;
    QPushButton* m_remove;
};

}  // namespace partita::ui
