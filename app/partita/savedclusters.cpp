// SavedClusters: dialogs and keychain lookups around the connection store; the sessions themselves
// are the app's (through the Connect / Disconnect callbacks).
#include "savedclusters.h"

#include "models/connectionstore.h"
#include "ui/connectiondialog.h"

#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>

namespace partita::app {

using models::ConnectionProfile;

SavedClusters::SavedClusters(QWidget* dialogParent, Connect connect, Disconnect disconnect, QObject* parent)
    : QObject(parent),
      m_dialogParent(dialogParent),
      m_connect(std::move(connect)),
      m_disconnect(std::move(disconnect)),
      m_store(new models::ConnectionStore(nullptr, models::ConnectionStore::Keychain::Auto, this)) {}

bool SavedClusters::isEmpty() const {
    return m_store->profiles().isEmpty();
}

bool SavedClusters::contains(const QString& id) const {
    return m_store->profile(id).has_value();
}

QStringList SavedClusters::metricsEndpoints(const QString& id) const {
    const auto profile = m_store->profile(id);
    return profile ? profile->metricsEndpoints : QStringList();
}

void SavedClusters::connectAll() {
    for (const ConnectionProfile& profile : m_store->profiles()) connectProfile(profile);
}

void SavedClusters::connectProfile(const ConnectionProfile& profile) {
    if (!profile.hasPassword) {
        m_connect(profile.id, profile.name, profile.toClientConfig());
        return;
    }
    withSecrets(profile.id, [this](ConnectionProfile withSecrets) {
        m_connect(withSecrets.id, withSecrets.name, withSecrets.toClientConfig());
    });
}

void SavedClusters::withSecrets(const QString& id, std::function<void(ConnectionProfile)> then) {
    m_store->readSecrets(id, [this, id, then = std::move(then)](const ConnectionProfile::Secrets& secrets, bool found) {
        auto profile = m_store->profile(id);
        if (!profile) return;  // removed meanwhile
        profile->secrets = secrets;
        // No keychain (or it lost the entry): ask once; the answer is kept for this session.
        if (!found && askPassword(*profile)) m_store->rememberForSession(id, profile->secrets);
        then(*profile);
    });
}

bool SavedClusters::askPassword(ConnectionProfile& profile) {
    const bool sasl = profile.property(QStringLiteral("security.protocol")).startsWith(QLatin1String("SASL"));
    const QString key = sasl ? QStringLiteral("sasl.password") : QStringLiteral("ssl.key.password");
    const QString what =
        sasl ? tr("The password of %1 for %2").arg(profile.property(QStringLiteral("sasl.username")), profile.name)
             : tr("The client key's password for %1").arg(profile.name);
    bool ok = false;
    const QString password = QInputDialog::getText(m_dialogParent, tr("Password"),
                                                   what + tr("\n(kept until Partita quits: no keychain is available)"),
                                                   QLineEdit::Password, {}, &ok);
    if (!ok) return false;
    profile.secrets.insert(key, password);
    return true;
}

void SavedClusters::add() {
    ui::ConnectionDialog dialog(m_dialogParent);
    if (dialog.exec() != QDialog::Accepted) return;
    const ConnectionProfile profile = dialog.profile();
    m_store->save(profile);
    m_connect(profile.id, profile.name, profile.toClientConfig());
}

void SavedClusters::edit(const QString& id) {
    if (!contains(id)) {
        QMessageBox::information(m_dialogParent, tr("Edit connection"),
                                 tr("This cluster has no saved connection settings."));
        return;
    }
    withSecrets(id, [this](ConnectionProfile profile) {
        ui::ConnectionDialog dialog(m_dialogParent);
        dialog.setProfile(profile);
        if (dialog.exec() != QDialog::Accepted) return;
        const ConnectionProfile edited = dialog.profile();
        m_store->save(edited);
        // A new session on the new settings: the old one's connections may be to other servers.
        m_disconnect(edited.id);
        m_connect(edited.id, edited.name, edited.toClientConfig());
    });
}

void SavedClusters::remove(const QString& id) {
    const auto profile = m_store->profile(id);
    if (!profile) {
        QMessageBox::information(m_dialogParent, tr("Remove cluster"),
                                 tr("Only saved connections can be removed. The local cluster is stopped from its "
                                    "Processes panel."));
        return;
    }
    if (QMessageBox::question(
            m_dialogParent, tr("Remove cluster"),
            tr("Remove the connection to %1? The cluster itself is not changed.").arg(profile->name)) !=
        QMessageBox::Yes)
        return;
    m_disconnect(id);
    m_store->remove(id);
}

}  // namespace partita::app
