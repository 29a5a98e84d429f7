// ConnectionStore: the saved clusters (QSettings group "clusters", never a password) and their
// secrets (the system keychain through QtKeychain, or this session's memory when there is none).
#pragma once

#include "models/connectionprofile.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QSettings;

namespace partita::models {

class ConnectionStore : public QObject {
    Q_OBJECT

public:
    // Auto uses the keychain unless PARTITA_NO_KEYCHAIN is set or there is no D-Bus session (on
    // Linux the keychain is reached over D-Bus, and without it a job could wait for ever).
    enum class Keychain { Auto, Disabled };

    // `settings` is not owned; null means the application's default QSettings.
    explicit ConnectionStore(QSettings* settings = nullptr, Keychain keychain = Keychain::Auto,
                             QObject* parent = nullptr);
    ~ConnectionStore() override;

    // Saved profiles in the order they were added (secrets empty: see readSecrets).
    QList<ConnectionProfile> profiles() const { return m_profiles; }
    std::optional<ConnectionProfile> profile(const QString& id) const;

    // Adds or replaces the profile. Its non-secret properties go to settings at once; its
    // secrets to the keychain (asynchronously) and this session's memory.
    void save(const ConnectionProfile& profile);
    void remove(const QString& id);

    // The secrets of a profile, on this object's thread: from this session's memory, else from
    // the keychain. `found` is false when a profile that has a password could not get it: the
    // UI asks the user (once per session) and hands the answer to rememberForSession().
    void readSecrets(const QString& id, std::function<void(const ConnectionProfile::Secrets&, bool found)> done);
    void rememberForSession(const QString& id, const ConnectionProfile::Secrets& secrets);

    // False once the keychain is known to be missing or failing: passwords live in memory only.
    bool keychainAvailable() const { return m_keychainAvailable; }

signals:
    void profilesChanged();
    // The keychain cannot be used (emitted once): passwords are kept for this session only.
    void keychainUnavailable(const QString& reason);
    // A save's secrets reached the keychain (true) or only this session's memory (false).
    void secretsStored(const QString& id, bool inKeychain);

private:
    void load();
    void writeAll();
    void keychainFailed(const QString& reason);
    QSettings& settings() const;

    QSettings* m_settings;
    bool m_keychainAvailable = true;
    QList<ConnectionProfile> m_profiles;
    QHash<QString, ConnectionProfile::Secrets> m_sessionSecrets;  // never written anywhere
};

}  // namespace partita::models
