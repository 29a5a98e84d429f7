// MessageTemplate (what the producer dialog sends) and MessageTemplateStore (named templates per
// topic, kept in QSettings).
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace partita::models {

struct MessageTemplate {
    QString name;                                              // template name (store key); empty for an unsaved one
    std::optional<QByteArray> key;                             // nullopt: null key
    std::optional<QByteArray> value;                           // nullopt: null value (tombstone)
    QList<QPair<QString, std::optional<QByteArray>>> headers;  // nullopt value: null header
    int partition = -1;                                        // -1: the default partitioner
    qint64 timestamp = -1;                                     // -1: now (CreateTime set by the producer)
    QString codec = "none";                                    // none gzip snappy lz4 zstd
    int acks = -1;                                             // 0, 1, -1 (all)
    bool valueIsJson = false;  // validate the value (after generator expansion) as JSON before sending

    // Byte fields are stored as base64 so binary keys and values survive the round trip.
    QJsonObject toJson() const;
    static std::optional<MessageTemplate> fromJson(const QJsonObject& object);
};

// QSettings group "producer/templates/<topic>" (one JSON string per template name).
class MessageTemplateStore {
public:
    explicit MessageTemplateStore(QString topic);
    QStringList names() const;  // sorted
    std::optional<MessageTemplate> load(const QString& name) const;
    void save(const MessageTemplate& t);  // by t.name (replaces)
    void remove(const QString& name);
    // Whether the topic is "marked as JSON" (QSettings "producer/json/<topic>"); the dialog's
    // checkbox default.
    bool topicIsJson() const;
    void setTopicIsJson(bool json);

private:
    QString m_topic;
};

}  // namespace partita::models
