// ConfigModel: the configs of one resource (a topic or a broker) as an editable table, with
// pending edits held in the model until apply() sends them with IncrementalAlterConfigs.
#pragma once

#include "engine/client/admin.h"
#include "models/callbackguard.h"

#include <QAbstractTableModel>
#include <QMap>
#include <QString>

#include <optional>
#include <vector>

namespace partita::models {

class ClusterSession;

class ConfigModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, ValueColumn, SourceColumn, ReadOnlyColumn, ColumnCount };
    enum Role {
        NameRole = Qt::UserRole + 1,
        DiffersFromDefaultRole,  // bool: the effective value is not Kafka's default for it
        OverrideRole,            // bool: set somewhere (topic override, broker setting), not a plain default
        ModifiedRole,            // bool: an edit is pending on this row
        ResettableRole,          // bool: a dynamic override that "reset to default" can delete
        EditableRole,            // bool
        SensitiveRole,           // bool
        ErrorRole,               // QString: the broker's refusal of this row's last applied edit
        SourceRole,              // int: client::ConfigSource
    };

    // One config as the broker described it.
    struct Row {
        QString name;
        std::optional<QString> value;  // nullopt: sensitive or no value
        int source = 0;                // client::ConfigSource
        bool readOnly = false;
        bool sensitive = false;
        std::optional<QString> defaultValue;  // from the DEFAULT_CONFIG synonym, when the broker sent it
        QString documentation;
        friend bool operator==(const Row&, const Row&) = default;
    };

    explicit ConfigModel(client::Admin admin, QObject* parent = nullptr);
    // On the session's Admin; nullptr when the session has none (invalid config).
    static ConfigModel* create(const ClusterSession* session, QObject* parent = nullptr);
    ~ConfigModel() override;

    // Which configs to show; clears rows and pending edits, then refreshes.
    void setTopic(const QString& topic);
    void setBroker(int brokerId);
    bool isTopic() const { return m_resource.type == client::ConfigResourceType::Topic; }
    QString resourceName() const { return QString::fromStdString(m_resource.name); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    // A value edit becomes a pending SET (an edit back to the current value drops it).
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    const Row* config(int row) const;
    int rowOf(const QString& name) const;  // -1 when absent
    bool isEditable(int row) const;

    // Pending edits: name -> new value, or nullopt for "reset to default" (DELETE).
    bool hasPendingEdits() const { return !m_pending.isEmpty(); }
    QMap<QString, std::optional<QString>> pendingEdits() const { return m_pending; }
    // Marks a dynamic override for deletion; false when the row has none to delete.
    bool resetToDefault(int row);
    void discardEdit(int row);
    void discardEdits();

    bool isLoading() const { return m_loading; }
    bool isApplying() const { return m_applying; }
    // Why the last describe failed (empty after a good one).
    QString loadError() const { return m_loadError; }

public slots:
    // Describes the resource again; pending edits are kept.
    void refresh();
    // Sends the pending edits, one key at a time so each gets the broker's own answer; accepted
    // ones leave the pending set, refused ones stay (with ErrorRole). Emits applied() then refreshes.
    void apply();

signals:
    void loadingChanged(bool loading);
    void loadFailed(const QString& error);
    void loaded();
    // After apply(): the keys that failed with the broker's message (empty map: all accepted).
    void applied(const QMap<QString, QString>& errors);
    void pendingEditsChanged();

private:
    void setResource(client::ConfigResource resource);
    void deliver(quint64 generation, std::vector<Row> rows, const QString& error);
    void applyNext(quint64 generation, QList<QString> keys, QMap<QString, QString> errors);
    void emitRowChanged(const QString& name);
    QString displayValue(const Row& row) const;

    client::Admin m_admin;
    CallbackGuard<ConfigModel> m_guard{this};
    client::ConfigResource m_resource;
    quint64 m_generation = 0;  // bumped when the resource changes: late answers of the old one are dropped
    std::vector<Row> m_rows;   // sorted by name
    QMap<QString, std::optional<QString>> m_pending;
    QMap<QString, QString> m_errors;
    bool m_loading = false;
    bool m_applying = false;
    bool m_refreshAgain = false;
    QString m_loadError;
};

}  // namespace partita::models
