// ConnectionStore: saved profiles in QSettings, secrets in the keychain or in session memory.
#include "models/connectionstore.h"

#include <qt6keychain/keychain.h>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSettings>
#include <QTimer>

#include <unistd.h>

namespace partita::models {

namespace {

const QString kService = QStringLiteral("Partita");
// A keychain that does not answer within this is treated as missing, so nothing waits for ever.
constexpr int kKeychainTimeoutMs = 10000;

QString noKeychainReason() {
    if (qEnvironmentVariableIsSet("PARTITA_NO_KEYCHAIN"))
        return QObject::tr("the keychain is disabled (PARTITA_NO_KEYCHAIN)");
#if defined(Q_OS_LINUX)
    const bool sessionBus = !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS") ||
                            QFileInfo::exists(QStringLiteral("/run/user/%1/bus").arg(getuid()));
    if (!sessionBus) return QObject::tr("no D-Bus session, so no secret service");
#endif
    return {};
}

QString encodeSecrets(const ConnectionProfile::Secrets& secrets) {
    QJsonObject object;
    for (auto it = secrets.cbegin(); it != secrets.cend(); ++it) object.insert(it.key(), it.value());
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

ConnectionProfile::Secrets decodeSecrets(const QString& text) {
    ConnectionProfile::Secrets secrets;
    const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
    for (auto it = object.begin(); it != object.end(); ++it) secrets.insert(it.key(), it.value().toString());
    return secrets;
}

}  // namespace

ConnectionStore::ConnectionStore(QSettings* settings, Keychain keychain, QObject* parent)
    : QObject(parent), m_settings(settings) {
    if (m_settings == nullptr) m_settings = new QSettings(this);
    if (keychain == Keychain::Disabled) {
        m_keychainAvailable = false;
    } else if (const QString reason = noKeychainReason(); !reason.isEmpty()) {
        m_keychainAvailable = false;
        // Queued, so whoever connects after construction still hears it.
        QTimer::singleShot(0, this, [this, reason] { emit keychainUnavailable(reason); });
    }
    load();
}

ConnectionStore::~ConnectionStore() = default;

QSettings& ConnectionStore::settings() const {
    return *m_settings;
}

void ConnectionStore::load() {
    QSettings& s = settings();
    const int count = s.beginReadArray(QStringLiteral("clusters"));
    for (int i = 0; i < count; ++i) {
        s.setArrayIndex(i);
        ConnectionProfile profile;
        profile.id = s.value("id").toString();
        profile.name = s.value("name").toString();
        profile.hasPassword = s.value("hasPassword").toBool();
        profile.metricsEndpoints = s.value("metricsEndpoints").toStringList();
        s.beginGroup(QStringLiteral("properties"));
        for (const QString& key : s.childKeys()) {
            // A hand-edited file could hold a secret: ignore it rather than spread it further.
            if (ConnectionProfile::isSecretKey(key)) continue;
            profile.properties.insert(key, s.value(key).toString());
        }
        s.endGroup();
        if (!profile.id.isEmpty()) m_profiles.append(profile);
    }
    s.endArray();
}

void ConnectionStore::writeAll() {
    QSettings& s = settings();
    s.remove(QStringLiteral("clusters"));
    s.beginWriteArray(QStringLiteral("clusters"), int(m_profiles.size()));
    for (int i = 0; i < m_profiles.size(); ++i) {
        const ConnectionProfile& profile = m_profiles[i];
        s.setArrayIndex(i);
        s.setValue("id", profile.id);
        s.setValue("name", profile.name);
        s.setValue("hasPassword", profile.hasPassword);
        s.setValue("metricsEndpoints", profile.metricsEndpoints);
        s.beginGroup(QStringLiteral("properties"));
        for (auto it = profile.properties.cbegin(); it != profile.properties.cend(); ++it)
            if (!ConnectionProfile::isSecretKey(it.key())) s.setValue(it.key(), it.value());
        s.endGroup();
    }
    s.endArray();
    s.sync();
}

std::optional<ConnectionProfile> ConnectionStore::profile(const QString& id) const {
    for (const auto& profile : m_profiles)
        if (profile.id == id) return profile;
    return std::nullopt;
}

void ConnectionStore::save(const ConnectionProfile& profile) {
    ConnectionProfile stored = profile;
    stored.secrets.clear();
    stored.hasPassword = false;
    for (auto it = profile.secrets.cbegin(); it != profile.secrets.cend(); ++it)
        if (!it.value().isEmpty()) stored.hasPassword = true;
    bool replaced = false;
    for (auto& existing : m_profiles)
        if (existing.id == stored.id) {
            existing = stored;
            replaced = true;
        }
    if (!replaced) m_profiles.append(stored);
    writeAll();
    emit profilesChanged();

    const QString id = stored.id;
    if (!stored.hasPassword) {
        m_sessionSecrets.remove(id);
        if (m_keychainAvailable) {
            auto* job = new QKeychain::DeletePasswordJob(kService, this);
            job->setKey(id);
            job->start();
        }
        return;
    }
    m_sessionSecrets.insert(id, profile.secrets);
    if (!m_keychainAvailable) {
        emit secretsStored(id, false);
        return;
    }
    auto* job = new QKeychain::WritePasswordJob(kService, this);
    job->setKey(id);
    job->setTextData(encodeSecrets(profile.secrets));
    auto* timeout = new QTimer(job);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, this, [this, job, id] {
        job->disconnect(this);
        keychainFailed(tr("the keychain did not answer"));
        emit secretsStored(id, false);
    });
    connect(job, &QKeychain::Job::finished, this, [this, id](QKeychain::Job* finished) {
        if (finished->error() != QKeychain::NoError) keychainFailed(finished->errorString());
        emit secretsStored(id, finished->error() == QKeychain::NoError);
    });
    timeout->start(kKeychainTimeoutMs);
    job->start();
}

void ConnectionStore::remove(const QString& id) {
    const auto before = m_profiles.size();
    m_profiles.removeIf([&](const ConnectionProfile& profile) { return profile.id == id; });
    m_sessionSecrets.remove(id);
    if (m_profiles.size() == before) return;
    writeAll();
    emit profilesChanged();
    if (m_keychainAvailable) {
        auto* job = new QKeychain::DeletePasswordJob(kService, this);
        job->setKey(id);
        job->start();
    }
}

void ConnectionStore::rememberForSession(const QString& id, const ConnectionProfile::Secrets& secrets) {
    m_sessionSecrets.insert(id, secrets);
}

void ConnectionStore::readSecrets(const QString& id,
                                  std::function<void(const ConnectionProfile::Secrets&, bool found)> done) {
    auto answer = [this, done](ConnectionProfile::Secrets secrets, bool found) {
        // Always later, so callers see one behaviour whether the answer was cached or not.
        QMetaObject::invokeMethod(
            this, [done, secrets, found] { done(secrets, found); }, Qt::QueuedConnection);
    };
    if (auto cached = m_sessionSecrets.constFind(id); cached != m_sessionSecrets.cend()) return answer(*cached, true);
    const auto saved = profile(id);
    if (!saved || !saved->hasPassword) return answer({}, true);
    if (!m_keychainAvailable) return answer({}, false);

    auto* job = new QKeychain::ReadPasswordJob(kService, this);
    job->setKey(id);
    auto* timeout = new QTimer(job);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, this, [this, job, done] {
        job->disconnect(this);
        keychainFailed(tr("the keychain did not answer"));
        done({}, false);
    });
    connect(job, &QKeychain::Job::finished, this, [this, id, done](QKeychain::Job* finished) {
        auto* read = static_cast<QKeychain::ReadPasswordJob*>(finished);
        if (read->error() != QKeychain::NoError) {
            if (read->error() != QKeychain::EntryNotFound) keychainFailed(read->errorString());
            done({}, false);
            return;
        }
        const ConnectionProfile::Secrets secrets = decodeSecrets(read->textData());
        m_sessionSecrets.insert(id, secrets);
        done(secrets, true);
    });
    timeout->start(kKeychainTimeoutMs);
    job->start();
}

void ConnectionStore::keychainFailed(const QString& reason) {
    if (!m_keychainAvailable) return;
    m_keychainAvailable = false;
    emit keychainUnavailable(reason);
}

}  // namespace partita::models
