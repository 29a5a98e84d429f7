// ConfigEditor: the table, its filters and the edit / apply buttons over a ConfigModel.
#include "ui/configeditor.h"

#include "models/configmodel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <set>

namespace partita::ui {

using models::ConfigModel;

namespace {

// The name filter (the proxy's own fixed-string filter on the name column) plus "only overrides".
class ConfigFilterProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setOverridesOnly(bool on) {
        m_overridesOnly = on;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override {
        if (m_overridesOnly) {
            const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
            // A pending edit stays visible, or the row being edited would vanish under the cursor.
            if (!index.data(ConfigModel::OverrideRole).toBool() && !index.data(ConfigModel::ModifiedRole).toBool())
                return false;
        }
        return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
    }

private:
    bool m_overridesOnly = false;
};

}  // namespace

ConfigEditor::ConfigEditor(ConfigModel* model, QWidget* parent)
    : QWidget(parent),
      m_model(model),
      m_proxy(new ConfigFilterProxy(this)),
      m_filter(new QLineEdit(this)),
      m_overridesOnly(new QCheckBox(tr("Show only overrides"), this)),
      m_view(new QTableView(this)),
      m_reset(new QPushButton(tr("Reset to default"), this)),
      m_discard(new QPushButton(tr("Discard changes"), this)),
      m_apply(new QPushButton(tr("Apply"), this)),
      m_refresh(new QPushButton(tr("Reload"), this)),
      m_status(new QLabel(this)) {
    m_proxy->setSourceModel(model);
    m_proxy->setFilterKeyColumn(ConfigModel::NameColumn);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    m_filter->setPlaceholderText(tr("Filter configs by name"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_overridesOnly, &QCheckBox::toggled, this,
            [this](bool on) { static_cast<ConfigFilterProxy*>(m_proxy)->setOverridesOnly(on); });

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ConfigModel::NameColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    // Only value cells are editable (the model's flags decide); typing starts an edit as in a sheet.
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(ConfigModel::ValueColumn, QHeaderView::Stretch);

    m_reset->setToolTip(tr("Remove the selected overrides so the default applies again (on Apply)"));
    m_apply->setDefault(false);
    m_apply->setAutoDefault(false);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();

    connect(m_reset, &QPushButton::clicked, this, &ConfigEditor::resetSelected);
    connect(m_discard, &QPushButton::clicked, m_model, &ConfigModel::discardEdits);
    connect(m_apply, &QPushButton::clicked, this, [this] {
        showStatus(tr("Applying…"), false);
        m_model->apply();
        updateButtons();
    });
    connect(m_refresh, &QPushButton::clicked, m_model, &ConfigModel::refresh);
    connect(m_model, &ConfigModel::pendingEditsChanged, this, &ConfigEditor::updateButtons);
    connect(m_model, &ConfigModel::loadingChanged, this, &ConfigEditor::updateButtons);
    connect(m_model, &ConfigModel::applied, this, &ConfigEditor::showApplied);
    connect(m_model, &ConfigModel::loadFailed, this, [this](const QString& error) {
        showStatus(tr("Could not read the configs: %1").arg(error.toHtmlEscaped()), true, true);
    });
    connect(m_model, &ConfigModel::loaded, this, [this] {
        if (m_status->property("loadError").toBool()) {
            m_status->setProperty("loadError", false);
            m_status->hide();
        }
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ConfigEditor::updateButtons);
    // "Show only overrides" hides rows by a role that changes with edits and refreshes.
    connect(m_model, &ConfigModel::dataChanged, m_proxy, [this] {
        if (m_overridesOnly->isChecked()) m_proxy->invalidate();
    });

    auto* top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_filter, 1);
    top->addWidget(m_overridesOnly);
    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_reset);
    buttons->addWidget(m_discard);
    buttons->addStretch(1);
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_apply);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    updateButtons();
}

int ConfigEditor::viewRowOf(const QString& name) const {
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        if (m_proxy->index(row, ConfigModel::NameColumn).data(ConfigModel::NameRole).toString() == name) return row;
    return -1;
}

void ConfigEditor::resetSelected() {
    std::set<int> rows;
    for (const QModelIndex& index : m_view->selectionModel()->selectedIndexes())
        rows.insert(m_proxy->mapToSource(index).row());
    for (int row : rows) m_model->resetToDefault(row);
}

void ConfigEditor::updateButtons() {
    const bool busy = m_model->isApplying();
    bool resettable = false;
    for (const QModelIndex& index : m_view->selectionModel()->selectedRows())
        resettable = resettable || index.data(ConfigModel::ResettableRole).toBool();
    m_reset->setEnabled(!busy && resettable);
    m_discard->setEnabled(!busy && m_model->hasPendingEdits());
    m_apply->setEnabled(!busy && m_model->hasPendingEdits());
    m_apply->setText(m_model->hasPendingEdits() ? tr("Apply (%n)", nullptr, int(m_model->pendingEdits().size()))
                                                : tr("Apply"));
    m_refresh->setEnabled(!busy && !m_model->isLoading());
}

void ConfigEditor::showApplied(const QMap<QString, QString>& errors) {
    updateButtons();
    if (errors.isEmpty()) {
        showStatus(tr("Changes applied."), false);
        return;
    }
    QStringList lines;
    for (auto it = errors.begin(); it != errors.end(); ++it)
        lines << QStringLiteral("<b>%1</b>: %2").arg(it.key().toHtmlEscaped(), it.value().toHtmlEscaped());
    showStatus(
        tr("The broker refused %n change(s); they are kept so you can correct them:", nullptr, int(errors.size())) +
            QStringLiteral("<br>") + lines.join(QStringLiteral("<br>")),
        true);
}

void ConfigEditor::showStatus(const QString& text, bool error, bool loadError) {
    m_status->setTextFormat(Qt::RichText);
    m_status->setText(error ? QStringLiteral("<span style='color:#c62828'>%1</span>").arg(text) : text);
    m_status->setProperty("loadError", loadError);
    m_status->show();
}

}  // namespace partita::ui
