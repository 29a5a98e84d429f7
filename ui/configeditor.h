// ConfigEditor: a ConfigModel in a table with a name filter, a "show only overrides" toggle,
// reset to default, discard, apply and the broker's answers; shared by the topic config dialog
// and the broker configs pane.
#pragma once

#include <QMap>
#include <QString>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace partita::models {
class ConfigModel;
}

namespace partita::ui {

class ConfigEditor : public QWidget {
    Q_OBJECT
public:
    // The model must outlive the editor.
    explicit ConfigEditor(models::ConfigModel* model, QWidget* parent = nullptr);

    models::ConfigModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QLineEdit* filterEdit() const { return m_filter; }
    QCheckBox* overridesOnlyCheckBox() const { return m_overridesOnly; }
    QPushButton* applyButton() const { return m_apply; }
    QPushButton* resetButton() const { return m_reset; }
    QPushButton* discardButton() const { return m_discard; }
    // What the broker answered last (errors, refusals, "applied"), or why the configs could not be read.
    QLabel* statusLabel() const { return m_status; }

    // The view row of a config (-1 when filtered out or absent).
    int viewRowOf(const QString& name) const;

public slots:
    // Marks the selected configs for "reset to default".
    void resetSelected();

private:
    void updateButtons();
    void showApplied(const QMap<QString, QString>& errors);
    void showStatus(const QString& text, bool error, bool loadError = false);

    models::ConfigModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filter;
    QCheckBox* m_overridesOnly;
    QTableView* m_view;
    QPushButton* m_reset;
    QPushButton* m_discard;
    QPushButton* m_apply;
    QPushButton* m_refresh;
    QLabel* m_status;
};

}  // namespace partita::ui
