// MessageTemplate's JSON form and MessageTemplateStore: templates per topic in QSettings, bytes as
// base64 so binary keys and values survive, null kept apart from empty.
#include "models/messagetemplate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QSettings>
#include <QUrl>

#include <algorithm>

namespace partita::models {

namespace {

QJsonValue bytesToJson(const std::optional<QByteArray>& bytes) {
    if (!bytes) return QJsonValue(QJsonValue::Null);
    return QString::fromLatin1(bytes->toBase64());
}

// False when the value is neither null nor valid base64.
bool bytesFromJson(const QJsonValue& value, std::optional<QByteArray>& out) {
    if (value.isNull() || value.isUndefined()) {
        out.reset();
        return true;
    }
    if (!value.isString()) return false;
    auto decoded = QByteArray::fromBase64Encoding(value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) return false;
    out = *decoded;
    return true;
}

QString templatesGroup(const QString& topic) {
    return QStringLiteral("producer/templates/") + topic;
}
// Template names may hold '/' or other characters QSettings reads as structure.
QString keyFor(const QString& name) {
    return QString::fromLatin1(QUrl::toPercentEncoding(name));
}

}  // namespace

QJsonObject MessageTemplate::toJson() const {
    QJsonArray headerArray;
    for (const auto& [headerName, headerValue] : headers)
        headerArray.append(QJsonObject{{"name", headerName}, {"value", bytesToJson(headerValue)}});
    return QJsonObject{{"name", name},
                       {"key", bytesToJson(key)},
                       {"value", bytesToJson(value)},
                       {"headers", headerArray},
                       {"partition", partition},
                       {"timestamp", QString::number(timestamp)},  // a double would lose nothing here, but be exact
                       {"codec", codec},
                       {"acks", acks},
                       {"valueIsJson", valueIsJson}};
}

std::optional<MessageTemplate> MessageTemplate::fromJson(const QJsonObject& object) {
    MessageTemplate t;
    t.name = object.value("name").toString();
    if (!bytesFromJson(object.value("key"), t.key) || !bytesFromJson(object.value("value"), t.value))
        return std::nullopt;
    for (const QJsonValue& entry : object.value("headers").toArray()) {
        const QJsonObject header = entry.toObject();
        std::optional<QByteArray> headerValue;
        if (!header.value("name").isString() || !bytesFromJson(header.value("value"), headerValue)) return std::nullopt;
        t.headers.append({header.value("name").toString(), headerValue});
    }
    t.partition = object.value("partition").toInt(-1);
    bool ok = true;
    const QJsonValue timestamp = object.value("timestamp");
    t.timestamp = timestamp.isString() ? timestamp.toString().toLongLong(&ok) : timestamp.toInteger(-1);
    if (!ok) return std::nullopt;
    t.codec = object.value("codec").toString(QStringLiteral("none"));
    t.acks = object.value("acks").toInt(-1);
    t.valueIsJson = object.value("valueIsJson").toBool(false);
    return t;
}

MessageTemplateStore::MessageTemplateStore(QString topic) : m_topic(std::move(topic)) {}

QStringList MessageTemplateStore::names() const {
    QSettings settings;
    settings.beginGroup(templatesGroup(m_topic));
    QStringList result;
    for (const QString& key : settings.childKeys()) result.append(QUrl::fromPercentEncoding(key.toLatin1()));
    std::sort(result.begin(), result.end(),
              [](const QString& a, const QString& b) { return QString::localeAwareCompare(a, b) < 0; });
    return result;
}

std::optional<MessageTemplate> MessageTemplateStore::load(const QString& name) const {
    QSettings settings;
    settings.beginGroup(templatesGroup(m_topic));
    const QVariant stored = settings.value(keyFor(name));
    if (!stored.isValid()) return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(stored.toString().toUtf8());
    if (!document.isObject()) return std::nullopt;
    auto t = MessageTemplate::fromJson(document.object());
    if (t) t->name = name;
    return t;
}

void MessageTemplateStore::save(const MessageTemplate& t) {
    QSettings settings;
    settings.beginGroup(templatesGroup(m_topic));
    settings.setValue(keyFor(t.name), QString::fromUtf8(QJsonDocument(t.toJson()).toJson(QJsonDocument::Compact)));
}

void MessageTemplateStore::remove(const QString& name) {
    QSettings settings;
    settings.beginGroup(templatesGroup(m_topic));
    settings.remove(keyFor(name));
}

bool MessageTemplateStore::topicIsJson() const {
    return QSettings().value(QStringLiteral("producer/json/") + m_topic, false).toBool();
}

void MessageTemplateStore::setTopicIsJson(bool json) {
    QSettings().setValue(QStringLiteral("producer/json/") + m_topic, json);
}

}  // namespace partita::models
