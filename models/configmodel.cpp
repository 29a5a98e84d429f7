// ConfigModel: describes one resource's configs on engine threads, diffs them into the table on the
// GUI thread, and applies pending edits key by key.
#include "models/configmodel.h"

#include "models/clustersession.h"
#include "models/keyeddiff.h"

#include <QFont>

#include <algorithm>

namespace partita::models {

namespace {

using client::ConfigSource;

QString sourceName(int source) {
    switch (static_cast<ConfigSource>(source)) {
        case ConfigSource::DefaultConfig:
            return ConfigModel::tr("default");
        case ConfigSource::StaticBrokerConfig:
            return ConfigModel::tr("static broker");
        case ConfigSource::DynamicBrokerConfig:
            return ConfigModel::tr("dynamic broker");
        case ConfigSource::DynamicDefaultBrokerConfig:
            return ConfigModel::tr("dynamic default broker");
        case ConfigSource::DynamicTopicConfig:
            return ConfigModel::tr("topic");
        case ConfigSource::DynamicBrokerLoggerConfig:
            return ConfigModel::tr("broker logger");
        default:
            return ConfigModel::tr("unknown");
    }
}

// The sources an IncrementalAlterConfigs DELETE on this resource removes.
bool isDynamicOverride(const client::ConfigResource& resource, int source) {
    const auto s = static_cast<ConfigSource>(source);
    if (resource.type == client::ConfigResourceType::Topic) return s == ConfigSource::DynamicTopicConfig;
    return s == ConfigSource::DynamicBrokerConfig;
}

std::optional<QString> toQString(const std::optional<std::string>& s) {
    return s ? std::optional(QString::fromStdString(*s)) : std::nullopt;
}

std::vector<ConfigModel::Row> rowsOf(const client::ResourceConfig& config) {
    std::vector<ConfigModel::Row> rows;
    rows.reserve(config.entries.size());
    for (const auto& entry : config.entries) {
        ConfigModel::Row row;
        row.name = QString::fromStdString(entry.name);
        row.value = toQString(entry.value);
        row.source = int(entry.source);
        row.readOnly = entry.readOnly;
        row.sensitive = entry.sensitive;
        for (const auto& synonym : entry.synonyms)
            if (synonym.source == ConfigSource::DefaultConfig) row.defaultValue = toQString(synonym.value);
        if (entry.documentation) row.documentation = QString::fromStdString(*entry.documentation);
        rows.push_back(std::move(row));
    }
    return rows;
}

bool differsFromDefault(const ConfigModel::Row& row) {
    const auto source = static_cast<ConfigSource>(row.source);
    if (source == ConfigSource::DefaultConfig || source == ConfigSource::Unknown) return false;
    // Set somewhere: it differs unless the broker told us a default that happens to be equal.
    if (row.defaultValue && row.value) return *row.defaultValue != *row.value;
    return true;
}

}  // namespace

ConfigModel::ConfigModel(client::Admin admin, QObject* parent)
    : QAbstractTableModel(parent), m_admin(std::move(admin)) {}

ConfigModel* ConfigModel::create(const ClusterSession* session, QObject* parent) {
    auto admin = session ? session->admin() : std::nullopt;
    return admin ? new ConfigModel(*admin, parent) : nullptr;
}

ConfigModel::~ConfigModel() {
    m_guard.detach();
}

void ConfigModel::setTopic(const QString& topic) {
    setResource(client::ConfigResource::topic(topic.toStdString()));
}

void ConfigModel::setBroker(int brokerId) {
    setResource(client::ConfigResource::broker(brokerId));
}

void ConfigModel::setResource(client::ConfigResource resource) {
    if (resource == m_resource && (!m_rows.empty() || m_loading)) return;
    ++m_generation;
    m_resource = std::move(resource);
    // Another resource has other rows: nothing of the old one's table carries over.
    if (!m_rows.empty()) {
        beginRemoveRows({}, 0, int(m_rows.size()) - 1);
        m_rows.clear();
        endRemoveRows();
    }
    const bool hadPending = !m_pending.isEmpty();
    m_pending.clear();
    m_errors.clear();
    m_applying = false;
    m_loading = false;
    m_refreshAgain = false;
    if (hadPending) emit pendingEditsChanged();
    refresh();
}

int ConfigModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConfigModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

const ConfigModel::Row* ConfigModel::config(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

int ConfigModel::rowOf(const QString& name) const {
    return rowOfKey(m_rows, name, [](const Row& r) -> const QString& { return r.name; });
}

bool ConfigModel::isEditable(int row) const {
    const Row* r = config(row);
    if (!r || m_applying) return false;
    // Kafka marks what cannot change at runtime as read-only; sensitive values cannot be edited
    // blind either (the broker never sends them back).
    return !r->readOnly && !r->sensitive;
}

QString ConfigModel::displayValue(const Row& row) const {
    if (row.sensitive) return QStringLiteral("••••••");
    return row.value.value_or(QString());
}

QVariant ConfigModel::data(const QModelIndex& index, int role) const {
    const Row* row = index.isValid() ? config(index.row()) : nullptr;
    if (!row) return {};
    const auto pending = m_pending.constFind(row->name);
    const bool modified = pending != m_pending.constEnd();
    switch (role) {
        case Qt::DisplayRole:
        case Qt::EditRole:
            switch (index.column()) {
                case NameColumn:
                    return row->name;
                case ValueColumn:
                    if (modified) {
                        if (pending->has_value()) return **pending;
                        if (role == Qt::EditRole) return row->defaultValue.value_or(QString());
                        return row->defaultValue ? tr("%1 (default)").arg(*row->defaultValue) : tr("(default)");
                    }
                    return role == Qt::EditRole && row->sensitive ? QString() : displayValue(*row);
                case SourceColumn:
                    return sourceName(row->source);
                case ReadOnlyColumn:
                    return row->readOnly ? tr("yes") : tr("no");
            }
            return {};
        case Qt::FontRole: {
            const bool differs = differsFromDefault(*row);
            if (!differs && !modified) return {};
            QFont font;
            font.setBold(differs);
            font.setItalic(modified && index.column() == ValueColumn);
            return font;
        }
        case Qt::ToolTipRole: {
            QString tip = m_errors.value(row->name);
            if (!tip.isEmpty()) return tip;
            if (modified) return tr("Modified, not applied yet");
            return row->documentation.isEmpty() ? QVariant() : row->documentation;
        }
        case NameRole:
            return row->name;
        case DiffersFromDefaultRole:
            return differsFromDefault(*row);
        case OverrideRole: {
            const auto source = static_cast<ConfigSource>(row->source);
            return source != ConfigSource::DefaultConfig && source != ConfigSource::Unknown;
        }
        case ModifiedRole:
            return modified;
        case ResettableRole:
            return isDynamicOverride(m_resource, row->source);
        case EditableRole:
            return isEditable(index.row());
        case SensitiveRole:
            return row->sensitive;
        case ErrorRole:
            return m_errors.value(row->name);
        case SourceRole:
            return row->source;
    }
    return {};
}

QVariant ConfigModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case NameColumn:
            return tr("Name");
        case ValueColumn:
            return tr("Value");
        case SourceColumn:
            return tr("Source");
        case ReadOnlyColumn:
            return tr("Read-only");
    }
    return {};
}

Qt::ItemFlags ConfigModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == ValueColumn && isEditable(index.row())) f |= Qt::ItemIsEditable;
    return f;
}

bool ConfigModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !index.isValid() || index.column() != ValueColumn || !isEditable(index.row()))
        return false;
    const Row& row = m_rows[size_t(index.row())];
    const QString text = value.toString();
    if (row.value && *row.value == text)
        m_pending.remove(row.name);
    else
        m_pending.insert(row.name, text);
    m_errors.remove(row.name);
    emitRowChanged(row.name);
    emit pendingEditsChanged();
    return true;
}

bool ConfigModel::resetToDefault(int row) {
    const Row* r = config(row);
    if (!r || m_applying || !isDynamicOverride(m_resource, r->source)) return false;
    m_pending.insert(r->name, std::nullopt);
    m_errors.remove(r->name);
    emitRowChanged(r->name);
    emit pendingEditsChanged();
    return true;
}

void ConfigModel::discardEdit(int row) {
    const Row* r = config(row);
    if (!r || !m_pending.contains(r->name)) return;
    m_pending.remove(r->name);
    m_errors.remove(r->name);
    emitRowChanged(r->name);
    emit pendingEditsChanged();
}

void ConfigModel::discardEdits() {
    if (m_pending.isEmpty() && m_errors.isEmpty()) return;
    m_pending.clear();
    m_errors.clear();
    if (!m_rows.empty()) emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
    emit pendingEditsChanged();
}

void ConfigModel::emitRowChanged(const QString& name) {
    const int row = rowOf(name);
    if (row >= 0) emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ConfigModel::refresh() {
    if (m_resource.name.empty() && m_resource.type == client::ConfigResourceType::Topic) return;
    if (m_loading) {
        m_refreshAgain = true;
        return;
    }
    m_loading = true;
    emit loadingChanged(true);
    client::DescribeConfigsOptions options;
    // The DEFAULT_CONFIG synonym tells "differs from default" apart from "set to the default".
    options.includeSynonyms = true;
    options.includeDocumentation = true;
    m_admin.describeConfigs({m_resource}, options, [guard = m_guard.handle(), generation = m_generation](auto result) {
        std::vector<Row> rows;
        QString error;
        if (!result.ok())
            error = QString::fromStdString(result.error().message);
        else if (result.value().empty())
            error = tr("The broker described no configs.");
        else if (!result.value().front().status.ok())
            error = QString::fromStdString(result.value().front().status.error().message);
        else
            rows = rowsOf(result.value().front());
        guard.post([generation, rows = std::move(rows), error](ConfigModel* model) mutable {
            model->deliver(generation, std::move(rows), error);
        });
    });
}

void ConfigModel::deliver(quint64 generation, std::vector<Row> rows, const QString& error) {
    if (generation != m_generation) return;
    m_loading = false;
    emit loadingChanged(false);
    m_loadError = error;
    if (!error.isEmpty()) {
        emit loadFailed(error);
    } else {
        KeyedDiffHooks hooks{[this](int f, int l) { beginRemoveRows({}, f, l); }, [this] { endRemoveRows(); },
                             [this](int f, int l) { beginInsertRows({}, f, l); }, [this] { endInsertRows(); }};
        applyKeyedDiff(*this, hooks, m_rows, std::move(rows), [](const Row& r) { return r.name; });
        // A pending edit that now equals what the broker holds is done (someone else applied it).
        bool dropped = false;
        for (auto it = m_pending.begin(); it != m_pending.end();) {
            const int row = rowOf(it.key());
            const bool stale = row < 0 || (it->has_value() && m_rows[size_t(row)].value == *it);
            if (stale) {
                it = m_pending.erase(it);
                dropped = true;
            } else {
                ++it;
            }
        }
        if (dropped) emit pendingEditsChanged();
        emit loaded();
    }
    if (m_refreshAgain) {
        m_refreshAgain = false;
        refresh();
    }
}

void ConfigModel::apply() {
    if (m_applying) return;
    if (m_pending.isEmpty()) {
        emit applied({});
        return;
    }
    m_applying = true;
    m_errors.clear();
    if (!m_rows.empty()) emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
    applyNext(m_generation, m_pending.keys(), {});
}

void ConfigModel::applyNext(quint64 generation, QList<QString> keys, QMap<QString, QString> errors) {
    if (generation != m_generation) return;
    if (keys.isEmpty()) {
        m_applying = false;
        m_errors = errors;
        if (!m_rows.empty()) emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
        emit pendingEditsChanged();
        emit applied(errors);
        refresh();
        return;
    }
    const QString key = keys.takeFirst();
    if (!m_pending.contains(key)) {
        applyNext(generation, keys, errors);
        return;
    }
    const std::optional<QString> value = m_pending.value(key);
    client::ConfigOp op;
    op.name = key.toStdString();
    op.op = value ? client::ConfigOpType::Set : client::ConfigOpType::Delete;
    if (value) op.value = value->toStdString();
    // One key per request: IncrementalAlterConfigs answers per resource, so this is how each edit
    // gets the broker's own verdict, and a refused key does not hold back the others.
    m_admin.incrementalAlterConfigs({client::ConfigChanges{m_resource, {op}}}, false,
                                    [guard = m_guard.handle(), generation, key, keys, errors](auto result) mutable {
                                        QString error;
                                        if (!result.ok())
                                            error = QString::fromStdString(result.error().message);
                                        else if (auto failed = client::firstFailure(result.value()); !failed.ok())
                                            error = QString::fromStdString(failed.error().message);
                                        guard.post([generation, key, keys, errors, error](ConfigModel* model) mutable {
                                            if (generation != model->m_generation) return;
                                            if (error.isEmpty())
                                                model->m_pending.remove(key);
                                            else
                                                errors.insert(key, error);
                                            model->applyNext(generation, keys, errors);
                                        });
                                    });
}

}  // namespace partita::models
