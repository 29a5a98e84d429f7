// ConnectionProfile: Java .properties import, per-field validation and the way to a ClientConfig.
#include "models/connectionprofile.h"

#include "engine/protocol/propertiesfile.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QStringList>
#include <QUrl>
#include <QUuid>

namespace partita::models {

namespace {

const QStringList kProtocols{"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"};
const QStringList kMechanisms{"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"};

// A quoted option of a JAAS line: username="alice" (Java allows single quotes too).
QString jaasOption(const QString& jaas, const QString& option) {
    QRegularExpression re(QStringLiteral("\\b%1\\s*=\\s*(\"([^\"]*)\"|'([^']*)')").arg(option));
    auto match = re.match(jaas);
    if (!match.hasMatch()) return {};
    return match.captured(2).isNull() ? match.captured(3) : match.captured(2);
}

bool isPemType(const QMap<QString, QString>& properties, const QString& typeKey, const QString& location) {
    const QString type = properties.value(typeKey).trimmed().toUpper();
    if (!type.isEmpty()) return type == QLatin1String("PEM");
    // Java's default type is JKS, but a .pem / .crt file is plainly PEM.
    return location.endsWith(QLatin1String(".pem"), Qt::CaseInsensitive) ||
           location.endsWith(QLatin1String(".crt"), Qt::CaseInsensitive);
}

}  // namespace

ConnectionProfile ConnectionProfile::create(const QString& name) {
    ConnectionProfile profile;
    profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    profile.name = name;
    return profile;
}

bool ConnectionProfile::isSecretKey(const QString& key) {
    // sasl.jaas.config carries the password inline.
    return key.endsWith(QLatin1String("password")) || key == QLatin1String("sasl.jaas.config");
}

void ConnectionProfile::setProperty(const QString& key, const QString& value) {
    if (value.trimmed().isEmpty())
        properties.remove(key);
    else
        properties.insert(key, value.trimmed());
}

bool ConnectionProfile::fromPropertiesFile(const QString& path, ConnectionProfile* profile, QString* error) {
    auto parsed = protocol::parsePropertiesFile(path.toStdString());
    if (!parsed.ok()) {
        if (error) *error = QString::fromStdString(parsed.error().message);
        return false;
    }
    QMap<QString, QString> in;
    for (const auto& [key, value] : parsed.value())
        in.insert(QString::fromStdString(key), QString::fromStdString(value));

    ConnectionProfile result = create(QFileInfo(path).completeBaseName());
    for (auto it = in.cbegin(); it != in.cend(); ++it) {
        if (it.key() == QLatin1String("sasl.jaas.config")) continue;
        if (isSecretKey(it.key())) {
            // Only the SASL and key passwords mean something with PEM files; store passwords do not.
            if (it.key() == QLatin1String("sasl.password") || it.key() == QLatin1String("ssl.key.password"))
                result.secrets.insert(it.key(), it.value());
            continue;
        }
        result.setProperty(it.key(), it.value());
    }
    // librdkafka's spelling.
    if (result.properties.contains("sasl.mechanisms")) {
        if (!result.properties.contains("sasl.mechanism"))
            result.setProperty("sasl.mechanism", result.properties.value("sasl.mechanisms"));
        result.properties.remove("sasl.mechanisms");
    }
    if (in.contains("sasl.jaas.config")) {
        const QString jaas = in.value("sasl.jaas.config");
        const QString username = jaasOption(jaas, "username");
        const QString password = jaasOption(jaas, "password");
        if (!username.isEmpty()) result.setProperty("sasl.username", username);
        if (!password.isEmpty()) result.secrets.insert("sasl.password", password);
        if (!result.properties.contains("sasl.mechanism")) {
            if (jaas.contains(QLatin1String("PlainLoginModule"))) result.setProperty("sasl.mechanism", "PLAIN");
            if (jaas.contains(QLatin1String("ScramLoginModule"))) result.setProperty("sasl.mechanism", "SCRAM-SHA-512");
        }
    }
    // PEM stores map to the fields the dialog shows; JKS / PKCS12 stay, so validation explains how to convert.
    const QString truststore = result.property("ssl.truststore.location");
    if (!truststore.isEmpty() && isPemType(in, "ssl.truststore.type", truststore) &&
        result.property("ssl.ca.location").isEmpty()) {
        result.setProperty("ssl.ca.location", truststore);
        result.properties.remove("ssl.truststore.location");
        result.properties.remove("ssl.truststore.type");
    }
    const QString keystore = result.property("ssl.keystore.location");
    if (!keystore.isEmpty() && isPemType(in, "ssl.keystore.type", keystore) &&
        result.property("ssl.certificate.location").isEmpty()) {
        // A PEM keystore holds the certificate chain and the key in one file.
        result.setProperty("ssl.certificate.location", keystore);
        if (result.property("ssl.key.location").isEmpty()) result.setProperty("ssl.key.location", keystore);
        result.properties.remove("ssl.keystore.location");
        result.properties.remove("ssl.keystore.type");
    }
    result.hasPassword = !result.secrets.isEmpty();
    *profile = std::move(result);
    return true;
}

ConnectionProfile::Errors ConnectionProfile::validate() const {
    Errors errors;
    if (name.trimmed().isEmpty()) errors.insert("name", tr("Give the cluster a name."));
    for (const QString& entry : metricsEndpoints) {
        // "N=url": N a broker id; the URL an http(s) address with a host.
        const qsizetype equals = entry.indexOf(QLatin1Char('='));
        bool idOk = true;
        if (equals > 0 && entry.left(equals).toInt(&idOk) < 0) idOk = false;
        const QUrl url(equals > 0 && idOk ? entry.mid(equals + 1) : entry, QUrl::StrictMode);
        if (!idOk || !url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            errors.insert("metrics.endpoints", tr("\"%1\" is not an http(s) URL, or N=URL for broker N.").arg(entry));
            break;
        }
    }

    const QString servers = property("bootstrap.servers");
    if (servers.isEmpty()) {
        errors.insert("bootstrap.servers", tr("Enter at least one bootstrap server (host:port)."));
    } else {
        for (const QString& entry : servers.split(',', Qt::SkipEmptyParts)) {
            auto parsed = client::parseHostPort(entry.trimmed().toStdString());
            if (!parsed.ok()) {
                errors.insert("bootstrap.servers",
                              tr("\"%1\" is not host:port with a port from 1 to 65535.").arg(entry.trimmed()));
                break;
            }
        }
    }

    const QString protocol = property("security.protocol").toUpper();
    const bool sasl = protocol.startsWith(QLatin1String("SASL_"));
    const bool tls = protocol == QLatin1String("SSL") || protocol == QLatin1String("SASL_SSL");
    if (!protocol.isEmpty() && !kProtocols.contains(protocol))
        errors.insert("security.protocol",
                      tr("Unknown security protocol \"%1\" (use %2).").arg(protocol, kProtocols.join(", ")));
    if (sasl) {
        const QString mechanism = property("sasl.mechanism").toUpper();
        if (!mechanism.isEmpty() && !kMechanisms.contains(mechanism))
            errors.insert("sasl.mechanism",
                          tr("Unsupported SASL mechanism \"%1\" (use %2).").arg(mechanism, kMechanisms.join(", ")));
        if (property("sasl.username").isEmpty()) errors.insert("sasl.username", tr("SASL needs a username."));
    }
    if (tls) {
        const QStringList files{"ssl.ca.location", "ssl.certificate.location", "ssl.key.location"};
        for (const QString& key : files) {
            const QString file = property(key);
            if (!file.isEmpty() && !QFileInfo::exists(file)) errors.insert(key, tr("No such file: %1").arg(file));
        }
        const bool hasCert = !property("ssl.certificate.location").isEmpty();
        const bool hasKey = !property("ssl.key.location").isEmpty();
        if (hasCert && !hasKey && !errors.contains("ssl.key.location"))
            errors.insert("ssl.key.location", tr("A client certificate needs its private key."));
        if (hasKey && !hasCert && !errors.contains("ssl.certificate.location"))
            errors.insert("ssl.certificate.location", tr("A private key needs its client certificate."));
    }
    if (errors.isEmpty()) {
        // Whatever the fields do not cover (advanced properties, store types) the client itself checks.
        Secrets placeholder = secrets;
        if (sasl && placeholder.value("sasl.password").isEmpty()) placeholder.insert("sasl.password", "-");
        auto config = toClientConfig(placeholder);
        if (!config.ok()) errors.insert(QString(), QString::fromStdString(config.error().message));
    }
    return errors;
}

Result<client::ClientConfig> ConnectionProfile::toClientConfig(const Secrets& secretValues) const {
    std::map<std::string, std::string> all;
    for (auto it = properties.cbegin(); it != properties.cend(); ++it)
        all[it.key().toStdString()] = it.value().toStdString();
    for (auto it = secretValues.cbegin(); it != secretValues.cend(); ++it)
        if (!it.value().isEmpty()) all[it.key().toStdString()] = it.value().toStdString();
    return client::ClientConfig::fromProperties(all);
}

}  // namespace partita::models
