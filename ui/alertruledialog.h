// AlertRuleDialog: the alert rules' list (enable, add, duplicate, delete, restore defaults,
// import / export) and an editor form for the selected rule with live validation.
#pragma once

#include "models/alertrule.h"

#include <QDialog>
#include <QString>

#include <vector>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QWidget;

namespace partita::ui {

class AlertRuleDialog : public QDialog {
    Q_OBJECT
public:
    enum Column { ColumnEnabled, ColumnName, ColumnMetric, ColumnScope, ColumnCondition, ColumnSeverity, ColumnCount };

    explicit AlertRuleDialog(std::vector<models::AlertRule> rules, QWidget* parent = nullptr);
    ~AlertRuleDialog() override;

    // The edited rules (what OK accepted; also valid while the dialog is open).
    std::vector<models::AlertRule> rules() const { return m_rules; }

    // Why the rules cannot be saved ("" when they can): the first invalid rule's problem.
    QString validationError() const;

    QTableWidget* table() const { return m_table; }
    QLineEdit* nameEdit() const { return m_name; }
    QComboBox* metricCombo() const { return m_metric; }
    QLabel* scopeLabel() const { return m_scope; }
    QLineEdit* clusterPatternEdit() const { return m_clusterPattern; }
    QLineEdit* subjectPatternEdit() const { return m_subjectPattern; }
    QComboBox* operatorCombo() const { return m_op; }
    QLineEdit* thresholdEdit() const { return m_threshold; }
    QSpinBox* durationSpin() const { return m_duration; }
    QComboBox* durationUnitCombo() const { return m_durationUnit; }
    QComboBox* severityCombo() const { return m_severity; }
    QPlainTextEdit* descriptionEdit() const { return m_description; }
    QLabel* errorLabel() const { return m_error; }
    QPushButton* okButton() const;
    QPushButton* addButton() const { return m_add; }
    QPushButton* duplicateButton() const { return m_duplicate; }
    QPushButton* deleteButton() const { return m_delete; }
    QPushButton* defaultsButton() const { return m_defaults; }
    QPushButton* importButton() const { return m_import; }
    QPushButton* exportButton() const { return m_export; }

    int currentRow() const;
    void selectRow(int row);

    // Without file dialogs (what Import… / Export… call once a path is chosen); errors are
    // shown in a message box unless `quiet`, and returned.
    QString importFrom(const QString& path, bool quiet = false);
    QString exportTo(const QString& path, bool quiet = false);
    // Replaces the rules with AlertRule::defaults() (asks first unless `ask` is false).
    void restoreDefaults(bool ask = true);

    // "> 0 for 5 min": the condition column's text.
    static QString conditionText(const models::AlertRule& rule);

private:
    void setRules(std::vector<models::AlertRule> rules, int selectRow);
    void fillRow(int row);
    void loadEditor();
    void storeEditor();
    void updateValidation();
    void addRule();
    void duplicateRule();
    void deleteRule();
    void chooseImport();
    void chooseExport();

    std::vector<models::AlertRule> m_rules;
    bool m_loading = false;
    // Editor text that cannot be stored in a rule (a threshold that is no number).
    QString m_editorError;

    QTableWidget* m_table = nullptr;
    QWidget* m_editor = nullptr;
    QLineEdit* m_name = nullptr;
    QComboBox* m_metric = nullptr;
    QLabel* m_scope = nullptr;
    QLineEdit* m_clusterPattern = nullptr;
    QLineEdit* m_subjectPattern = nullptr;
    QComboBox* m_op = nullptr;
    QLineEdit* m_threshold = nullptr;
    QSpinBox* m_duration = nullptr;
    QComboBox* m_durationUnit = nullptr;
    QComboBox* m_severity = nullptr;
    QPlainTextEdit* m_description = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_duplicate = nullptr;
    QPushButton* m_delete = nullptr;
    QPushButton* m_defaults = nullptr;
    QPushButton* m_import = nullptr;
    QPushButton* m_export = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

}  // namespace partita::ui
