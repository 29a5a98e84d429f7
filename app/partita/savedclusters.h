// SavedClusters: the user's saved connections in the window: connecting each (asking for a password
// the keychain cannot give, once per session), and the add / edit / remove requests of the window.
#pragma once

#include "engine/client/clientconfig.h"
#include "engine/protocol/result.h"
#include "models/connectionprofile.h"

#include <QObject>
#include <QString>

#include <functional>

class QWidget;

namespace partita::models {
class ConnectionStore;
}

namespace partita::app {

class SavedClusters : public QObject {
    Q_OBJECT
public:
    // What the app does with a cluster: show it with a new session on `config` (an invalid config
    // shows as a lost cluster with the reason), or drop it.
    using Connect = std::function<void(const QString& id, const QString& name, Result<client::ClientConfig> config)>;
    using Disconnect = std::function<void(const QString& id)>;

    // `dialogParent` parents the dialogs (the main window).
    SavedClusters(QWidget* dialogParent, Connect connect, Disconnect disconnect, QObject* parent = nullptr);

    bool isEmpty() const;
    bool contains(const QString& id) const;
    // The saved cluster's Prometheus endpoints ("url" or "N=url"); empty for an unknown id.
    QStringList metricsEndpoints(const QString& id) const;
    models::ConnectionStore* store() const { return m_store; }

    // Connects every saved cluster, in the order they were added.
    void connectAll();

public slots:
    void add();
    void edit(const QString& id);
    void remove(const QString& id);

private:
    void connectProfile(const models::ConnectionProfile& profile);
    // The profile with its secrets: from the keychain or this session, else asked of the user.
    void withSecrets(const QString& id, std::function<void(models::ConnectionProfile)> then);
    bool askPassword(models::ConnectionProfile& profile);

    QWidget* m_dialogParent;
    Connect m_connect;
    Disconnect m_disconnect;
    models::ConnectionStore* m_store;
};

}  // namespace partita::app
