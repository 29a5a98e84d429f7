// AlertRuleDialog: the rules table, the editor form bound to the selected rule, validation and
// the rules file round trip.
#include "ui/alertruledialog.h"

#include "models/alertengine.h"
#include "models/metricnames.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTableWidget>
#include <QUuid>
#include <QVBoxLayout>

#include <cmath>

namespace partita::ui {

namespace {

using Op = models::AlertRule::Op;

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;

QString severityText(models::Severity severity) {
    switch (severity) {
        case models::Severity::Critical:
            return AlertRuleDialog::tr("Critical");
        case models::Severity::Warning:
            return AlertRuleDialog::tr("Warning");
        case models::Severity::Info:
            break;
    }
    return AlertRuleDialog::tr("Info");
}

QString metricTitle(const QString& metric) {
    if (const models::MetricInfo* info = models::metricInfo(metric.toUtf8().constData()))
        return QCoreApplication::translate("MetricNames", info->title);
    return metric;
}

QString durationText(qint64 ms) {
    if (ms % kHour == 0) return AlertRuleDialog::tr("%1 h").arg(ms / kHour);
    if (ms % kMinute == 0) return AlertRuleDialog::tr("%1 min").arg(ms / kMinute);
    return AlertRuleDialog::tr("%1 s").arg(ms / kSecond);
}

QString formatThreshold(double value) {
    return QString::number(value, 'g', 12);
}

}  // namespace

QString AlertRuleDialog::conditionText(const models::AlertRule& rule) {
    QString text = models::AlertRule::opDisplay(rule.op) + QLatin1Char(' ') + formatThreshold(rule.threshold);
    if (rule.forMs > 0) text += tr(" for %1").arg(durationText(rule.forMs));
    return text;
}

AlertRuleDialog::AlertRuleDialog(std::vector<models::AlertRule> rules, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Alert rules"));
    auto* layout = new QVBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Horizontal, this);

    auto* listBox = new QWidget(splitter);
    auto* listLayout = new QVBoxLayout(listBox);
    listLayout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, ColumnCount, listBox);
    m_table->setHorizontalHeaderLabels(
        {tr("On"), tr("Name"), tr("Metric"), tr("Scope"), tr("Condition"), tr("Severity")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    listLayout->addWidget(m_table, 1);
    auto* listButtons = new QHBoxLayout;
    m_add = new QPushButton(tr("Add"), listBox);
    m_duplicate = new QPushButton(tr("Duplicate"), listBox);
    m_delete = new QPushButton(tr("Delete"), listBox);
    m_defaults = new QPushButton(tr("Restore defaults…"), listBox);
    m_import = new QPushButton(tr("Import…"), listBox);
    m_export = new QPushButton(tr("Export…"), listBox);
    for (QPushButton* button : {m_add, m_duplicate, m_delete, m_defaults}) listButtons->addWidget(button);
    listButtons->addStretch(1);
    listButtons->addWidget(m_import);
    listButtons->addWidget(m_export);
    listLayout->addLayout(listButtons);

    m_editor = new QWidget(splitter);
    auto* form = new QFormLayout(m_editor);
    m_name = new QLineEdit(m_editor);
    form->addRow(tr("&Name:"), m_name);
    m_metric = new QComboBox(m_editor);
    for (const models::MetricInfo& info : models::metricCatalogue()) {
        const QString name = QString::fromUtf8(info.name);
        const QString title = QCoreApplication::translate("MetricNames", info.title);
        m_metric->addItem(tr("%1 (%2)").arg(title, QString::fromUtf8(info.unit)), name);
        m_metric->setItemData(m_metric->count() - 1, name, Qt::ToolTipRole);
    }
    form->addRow(tr("&Metric:"), m_metric);
    m_scope = new QLabel(m_editor);
    m_scope->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    form->addRow(tr("Scope:"), m_scope);
    m_clusterPattern = new QLineEdit(m_editor);
    m_clusterPattern->setPlaceholderText(QStringLiteral("*"));
    m_clusterPattern->setToolTip(tr("A glob on the cluster's id: * matches every cluster"));
    form->addRow(tr("&Clusters:"), m_clusterPattern);
    m_subjectPattern = new QLineEdit(m_editor);
    m_subjectPattern->setPlaceholderText(QStringLiteral("*"));
    m_subjectPattern->setToolTip(tr("A glob on the broker id, topic or group name: orders-* matches orders-eu"));
    form->addRow(tr("&Subjects:"), m_subjectPattern);
    auto* conditionRow = new QHBoxLayout;
    m_op = new QComboBox(m_editor);
    for (Op op : {Op::Gt, Op::Ge, Op::Lt, Op::Le, Op::Eq, Op::Ne})
        m_op->addItem(models::AlertRule::opDisplay(op), int(op));
    m_threshold = new QLineEdit(m_editor);
    m_threshold->setPlaceholderText(tr("threshold, e.g. 0, 0.8 or 1e6"));
    conditionRow->addWidget(m_op);
    conditionRow->addWidget(m_threshold, 1);
    // Rows made of a layout get no buddy from addRow(QString, QLayout*): label them explicitly so
    // the mnemonics work.
    auto* conditionLabel = new QLabel(tr("&Condition:"), m_editor);
    conditionLabel->setBuddy(m_op);
    form->addRow(conditionLabel, conditionRow);
    auto* durationRow = new QHBoxLayout;
    m_duration = new QSpinBox(m_editor);
    m_duration->setRange(0, 100000);
    m_durationUnit = new QComboBox(m_editor);
    m_durationUnit->addItem(tr("seconds"), kSecond);
    m_durationUnit->addItem(tr("minutes"), kMinute);
    m_durationUnit->addItem(tr("hours"), kHour);
    durationRow->addWidget(m_duration);
    durationRow->addWidget(m_durationUnit, 1);
    auto* durationLabel = new QLabel(tr("&For:"), m_editor);
    durationLabel->setBuddy(m_duration);
    form->addRow(durationLabel, durationRow);
    m_severity = new QComboBox(m_editor);
    for (models::Severity severity : {models::Severity::Info, models::Severity::Warning, models::Severity::Critical})
        m_severity->addItem(severityText(severity), int(severity));
    form->addRow(tr("S&everity:"), m_severity);
    m_description = new QPlainTextEdit(m_editor);
    // The description takes the form's spare height (otherwise the labels above would stretch).
    m_description->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    form->addRow(tr("&Description:"), m_description);
    m_error = new QLabel(m_editor);
    m_error->setWordWrap(true);
    m_error->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    // BrightText is the palette's "alarming" text colour in both looks (see ui/theme.cpp).
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, palette().color(QPalette::BrightText));
    m_error->setPalette(errorPalette);
    form->addRow(m_error);

    splitter->addWidget(listBox);
    splitter->addWidget(m_editor);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] { loadEditor(); });
    connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* cell) {
        if (m_loading || cell->column() != ColumnEnabled) return;
        const int row = cell->row();
        if (row < 0 || row >= int(m_rules.size())) return;
        m_rules[size_t(row)].enabled = cell->checkState() == Qt::Checked;
    });
    const auto store = [this] { storeEditor(); };
    connect(m_name, &QLineEdit::textChanged, this, store);
    connect(m_metric, &QComboBox::currentIndexChanged, this, store);
    connect(m_clusterPattern, &QLineEdit::textChanged, this, store);
    connect(m_subjectPattern, &QLineEdit::textChanged, this, store);
    connect(m_op, &QComboBox::currentIndexChanged, this, store);
    connect(m_threshold, &QLineEdit::textChanged, this, store);
    connect(m_duration, &QSpinBox::valueChanged, this, store);
    connect(m_durationUnit, &QComboBox::currentIndexChanged, this, store);
    connect(m_severity, &QComboBox::currentIndexChanged, this, store);
    connect(m_description, &QPlainTextEdit::textChanged, this, store);
    connect(m_add, &QPushButton::clicked, this, &AlertRuleDialog::addRule);
    connect(m_duplicate, &QPushButton::clicked, this, &AlertRuleDialog::duplicateRule);
    connect(m_delete, &QPushButton::clicked, this, &AlertRuleDialog::deleteRule);
    connect(m_defaults, &QPushButton::clicked, this, [this] { restoreDefaults(true); });
    connect(m_import, &QPushButton::clicked, this, &AlertRuleDialog::chooseImport);
    connect(m_export, &QPushButton::clicked, this, &AlertRuleDialog::chooseExport);

    setRules(std::move(rules), 0);
    resize(1100, 560);
}

AlertRuleDialog::~AlertRuleDialog() = default;

QPushButton* AlertRuleDialog::okButton() const {
    return m_buttons->button(QDialogButtonBox::Ok);
}

int AlertRuleDialog::currentRow() const {
    const auto rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void AlertRuleDialog::selectRow(int row) {
    if (row < 0 || row >= m_table->rowCount()) {
        m_table->clearSelection();
        loadEditor();
        return;
    }
    m_table->selectRow(row);
    loadEditor();
}

void AlertRuleDialog::setRules(std::vector<models::AlertRule> rules, int select) {
    m_rules = std::move(rules);
    m_editorError.clear();
    m_loading = true;
    m_table->setRowCount(int(m_rules.size()));
    for (int row = 0; row < int(m_rules.size()); ++row) fillRow(row);
    m_loading = false;
    selectRow(std::min(select, int(m_rules.size()) - 1));
    updateValidation();
}

void AlertRuleDialog::fillRow(int row) {
    const models::AlertRule& rule = m_rules[size_t(row)];
    const bool wasLoading = m_loading;
    m_loading = true;
    auto* enabled = new QTableWidgetItem;
    enabled->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    enabled->setCheckState(rule.enabled ? Qt::Checked : Qt::Unchecked);
    m_table->setItem(row, ColumnEnabled, enabled);
    auto* name = new QTableWidgetItem(rule.name);
    const QString problem = rule.validate();
    if (!problem.isEmpty()) {
        name->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
        name->setToolTip(problem);
    } else {
        name->setToolTip(rule.description);
    }
    m_table->setItem(row, ColumnName, name);
    auto* metric = new QTableWidgetItem(metricTitle(rule.metric));
    metric->setToolTip(rule.metric);
    m_table->setItem(row, ColumnMetric, metric);
    QString scope = rule.scopeKind;
    if (rule.clusterPattern != QLatin1String("*")) scope += tr(" · cluster %1").arg(rule.clusterPattern);
    if (rule.scopeKind != QLatin1String("cluster") && rule.subjectPattern != QLatin1String("*"))
        scope += QStringLiteral(" · ") + rule.subjectPattern;
    m_table->setItem(row, ColumnScope, new QTableWidgetItem(scope));
    m_table->setItem(row, ColumnCondition, new QTableWidgetItem(conditionText(rule)));
    m_table->setItem(row, ColumnSeverity, new QTableWidgetItem(severityText(rule.severity)));
    m_loading = wasLoading;
}

void AlertRuleDialog::loadEditor() {
    const int row = currentRow();
    const bool has = row >= 0 && row < int(m_rules.size());
    m_editor->setEnabled(has);
    m_duplicate->setEnabled(has);
    m_delete->setEnabled(has);
    m_editorError.clear();
    m_loading = true;
    const models::AlertRule rule = has ? m_rules[size_t(row)] : models::AlertRule{};
    m_name->setText(rule.name);
    int metricIndex = m_metric->findData(rule.metric);
    // Drop a previous rule's unknown metric entry, then add this one's: an imported rule may name
    // a metric this version does not know, and the user must see (and fix) it, not lose it.
    for (int i = m_metric->count() - 1; i >= 0; --i)
        if (!models::metricInfo(m_metric->itemData(i).toString().toUtf8().constData()) && i != metricIndex)
            m_metric->removeItem(i);
    metricIndex = m_metric->findData(rule.metric);
    if (metricIndex < 0 && has) {
        m_metric->addItem(tr("%1 (unknown metric)").arg(rule.metric), rule.metric);
        metricIndex = m_metric->count() - 1;
    }
    m_metric->setCurrentIndex(metricIndex);
    m_scope->setText(rule.scopeKind);
    m_clusterPattern->setText(rule.clusterPattern);
    m_subjectPattern->setText(rule.subjectPattern);
    m_op->setCurrentIndex(m_op->findData(int(rule.op)));
    m_threshold->setText(formatThreshold(rule.threshold));
    qint64 unit = kSecond;
    if (rule.forMs > 0 && rule.forMs % kHour == 0)
        unit = kHour;
    else if (rule.forMs % kMinute == 0)
        unit = kMinute;
    m_durationUnit->setCurrentIndex(m_durationUnit->findData(unit));
    m_duration->setValue(int(rule.forMs / unit));
    m_severity->setCurrentIndex(m_severity->findData(int(rule.severity)));
    m_description->setPlainText(rule.description);
    m_loading = false;
    updateValidation();
}

void AlertRuleDialog::storeEditor() {
    if (m_loading) return;
    const int row = currentRow();
    if (row < 0 || row >= int(m_rules.size())) return;
    models::AlertRule& rule = m_rules[size_t(row)];
    rule.name = m_name->text().trimmed();
    rule.metric = m_metric->currentData().toString();
    // The scope follows the metric: a topic metric can only be scoped to topics.
    // ("group" also covers group-topic metrics: their subject pattern matches the group's name).
    if (const models::MetricInfo* info = models::metricInfo(rule.metric.toUtf8().constData())) {
        const QString kind = QString::fromUtf8(info->subjectKind);
        rule.scopeKind = kind == QLatin1String("group-topic") ? QStringLiteral("group") : kind;
    }
    m_scope->setText(rule.scopeKind);
    rule.clusterPattern =
        m_clusterPattern->text().trimmed().isEmpty() ? QStringLiteral("*") : m_clusterPattern->text().trimmed();
    rule.subjectPattern =
        m_subjectPattern->text().trimmed().isEmpty() ? QStringLiteral("*") : m_subjectPattern->text().trimmed();
    rule.op = Op(m_op->currentData().toInt());
    m_editorError.clear();
    bool ok = false;
    const QString thresholdText = m_threshold->text().trimmed();
    double threshold = QLocale().toDouble(thresholdText, &ok);
    if (!ok) threshold = QLocale::c().toDouble(thresholdText, &ok);
    if (ok && std::isfinite(threshold))
        rule.threshold = threshold;
    else
        m_editorError = tr("The threshold must be a number (e.g. 0, 0.8 or 1e6).");
    rule.forMs = qint64(m_duration->value()) * m_durationUnit->currentData().toLongLong();
    rule.severity = models::Severity(m_severity->currentData().toInt());
    rule.description = m_description->toPlainText();
    fillRow(row);
    updateValidation();
}

QString AlertRuleDialog::validationError() const {
    const int row = currentRow();
    if (!m_editorError.isEmpty()) {
        const QString name = row >= 0 && row < int(m_rules.size()) ? m_rules[size_t(row)].name : QString();
        return name.isEmpty() ? m_editorError : tr("%1: %2").arg(name, m_editorError);
    }
    // The selected rule's problem first (that is what the user is editing), then any other.
    std::vector<int> order;
    if (row >= 0) order.push_back(row);
    for (int i = 0; i < int(m_rules.size()); ++i)
        if (i != row) order.push_back(i);
    for (int i : order) {
        const models::AlertRule& rule = m_rules[size_t(i)];
        QString problem = rule.name.trimmed().isEmpty() ? tr("The rule needs a name.") : rule.validate();
        if (!problem.isEmpty()) {
            const QString name = rule.name.isEmpty() ? tr("Rule %1").arg(i + 1) : rule.name;
            return tr("%1: %2").arg(name, problem);
        }
    }
    return {};
}

void AlertRuleDialog::updateValidation() {
    const QString error = validationError();
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    okButton()->setEnabled(error.isEmpty());
}

void AlertRuleDialog::addRule() {
    models::AlertRule rule;
    rule.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    rule.name = tr("New rule");
    const auto& catalogue = models::metricCatalogue();
    if (!catalogue.empty()) {
        // Cluster-wide metrics come first in the catalogue, so the scope needs no mapping here.
        rule.metric = QString::fromUtf8(catalogue.front().name);
        rule.scopeKind = QString::fromUtf8(catalogue.front().subjectKind);
    }
    auto rules = m_rules;
    rules.push_back(rule);
    setRules(std::move(rules), int(m_rules.size()));
    m_name->setFocus();
    m_name->selectAll();
}

void AlertRuleDialog::duplicateRule() {
    const int row = currentRow();
    if (row < 0) return;
    models::AlertRule copy = m_rules[size_t(row)];
    copy.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    copy.name = tr("%1 (copy)").arg(copy.name);
    auto rules = m_rules;
    rules.insert(rules.begin() + row + 1, copy);
    setRules(std::move(rules), row + 1);
}

void AlertRuleDialog::deleteRule() {
    const int row = currentRow();
    if (row < 0) return;
    auto rules = m_rules;
    rules.erase(rules.begin() + row);
    setRules(std::move(rules), std::min(row, int(rules.size()) - 1));
}

void AlertRuleDialog::restoreDefaults(bool ask) {
    if (ask && QMessageBox::question(this, tr("Restore default rules"),
                                     tr("Replace all %n rule(s) with the shipped defaults?", nullptr,
                                        int(m_rules.size()))) != QMessageBox::Yes)
        return;
    setRules(models::AlertRule::defaults(), 0);
}

QString AlertRuleDialog::importFrom(const QString& path, bool quiet) {
    QString error;
    auto imported = models::AlertEngine::importRules(path, &error);
    if (!imported) {
        const QString message = error.isEmpty() ? tr("The file holds no alert rules.") : error;
        if (!quiet)
            QMessageBox::warning(this, tr("Import alert rules"),
                                 tr("Could not import %1:\n%2").arg(QDir::toNativeSeparators(path), message));
        return message;
    }
    setRules(std::move(*imported), 0);
    return {};
}

QString AlertRuleDialog::exportTo(const QString& path, bool quiet) {
    QString error;
    if (models::AlertEngine::exportRules(path, m_rules, &error)) return {};
    const QString message = error.isEmpty() ? tr("Unknown error.") : error;
    if (!quiet)
        QMessageBox::warning(this, tr("Export alert rules"),
                             tr("Could not export to %1:\n%2").arg(QDir::toNativeSeparators(path), message));
    return message;
}

void AlertRuleDialog::chooseImport() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import alert rules"), QString(),
                                                      tr("Alert rules (*.json);;All files (*)"));
    if (!path.isEmpty()) importFrom(path);
}

void AlertRuleDialog::chooseExport() {
    QString path = QFileDialog::getSaveFileName(this, tr("Export alert rules"), QStringLiteral("alert-rules.json"),
                                                tr("Alert rules (*.json);;All files (*)"));
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".json");
    exportTo(path);
}

}  // namespace partita::ui
