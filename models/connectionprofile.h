// ConnectionProfile: one saved cluster: its id, display name and Kafka client properties (Kafka's
// names), with its secrets kept apart so they can go to the keychain and nowhere else.
#pragma once

#include "engine/client/clientconfig.h"
#include "engine/protocol/result.h"

#include <QCoreApplication>
#include <QMap>
#include <QString>
#include <QStringList>

namespace partita::models {

class ConnectionProfile {
    Q_DECLARE_TR_FUNCTIONS(ConnectionProfile)

public:
    // Secret properties by Kafka name ("sasl.password", "ssl.key.password").
    using Secrets = QMap<QString, QString>;
    // Field key → what is wrong with it, in the user's words. Keys are Kafka property names, plus
    // "name" for the display name and "" for a problem no single field owns.
    using Errors = QMap<QString, QString>;

    // A new profile with a fresh id.
    static ConnectionProfile create(const QString& name = {});

    // Reads a Java client .properties file: sasl.jaas.config becomes sasl.username plus a secret
    // password, PEM trust / key stores become ssl.ca.location / ssl.certificate.location /
    // ssl.key.location, every *password goes to secrets. The name is the file's base name.
    // Returns false (and says why in `error`) when the file cannot be read or parsed.
    static bool fromPropertiesFile(const QString& path, ConnectionProfile* profile, QString* error);

    // Properties whose values are secrets: never written to the settings file.
    static bool isSecretKey(const QString& key);

    QString id;
    QString name;
    QMap<QString, QString> properties;  // non-secret client properties, Kafka's names
    // Secrets known in memory now (typed in the dialog or read from the keychain); the store
    // never writes them to settings.
    Secrets secrets;
    // Whether the saved profile has secrets in the keychain (or this session's memory).
    bool hasPassword = false;
    // Prometheus endpoints (JMX exporters) scraped for the cluster's broker metrics: "url" or
    // "N=url" for broker N, e.g. "1=http://kafka-1:7071/metrics".
    QStringList metricsEndpoints;

    QString property(const QString& key) const { return properties.value(key); }
    // An empty value removes the key.
    void setProperty(const QString& key, const QString& value);

    // Per-field problems; empty when the profile can be used.
    Errors validate() const;

    // The client config for these properties and `secrets`, through ClientConfig::fromProperties.
    Result<client::ClientConfig> toClientConfig(const Secrets& secrets) const;
    Result<client::ClientConfig> toClientConfig() const { return toClientConfig(secrets); }

    bool operator==(const ConnectionProfile& other) const = default;
};

}  // namespace partita::models
