// Kafka 3.7's broker config table: every server.properties key with its type, default, rule and update mode.
#include "engine/broker/brokerconfig.h"

#include <algorithm>
#include <iterator>
#include <span>

namespace partita::broker {
namespace {

using storage::ConfigType;
using Update = BrokerConfigDef::Update;

// Table shorthands: the kinds Kafka's ConfigDef has (SHORT included) and the update modes.
enum class K { B, S, I, Sh, L, D, Li, P, C };
constexpr K B = K::B, S = K::S, I = K::I, Sh = K::Sh, L = K::L, D = K::D, Li = K::Li, P = K::P, C = K::C;
constexpr Update RO = Update::ReadOnly, PB = Update::PerBroker, CW = Update::ClusterWide;

constexpr ConfigType typeOf(K kind) {
    switch (kind) {
        case K::B:
            return ConfigType::Boolean;
        case K::S:
            return ConfigType::String;
        case K::I:
        case K::Sh:
            return ConfigType::Int;
        case K::L:
            return ConfigType::Long;
        case K::D:
            return ConfigType::Double;
        case K::Li:
            return ConfigType::List;
        case K::P:
            return ConfigType::Password;
        case K::C:
            return ConfigType::Class;
    }
    return ConfigType::String;
}

constexpr BrokerConfigDef row(std::string_view name, K kind, std::string_view defaultValue, Update update,
                              std::string_view validValues = {}) {
    return BrokerConfigDef{name, typeOf(kind), defaultValue, validValues, kind == K::P, update, true, kind == K::Sh};
}

constexpr BrokerConfigDef noDefault(std::string_view name, K kind, Update update, std::string_view validValues = {}) {
    BrokerConfigDef def = row(name, kind, {}, update, validValues);
    def.hasDefault = false;
    return def;
}

// inter.broker.protocol.version and log.message.format.version: Kafka 3.7's MetadataVersion list, of which the
// last (3.8-IV0) was not yet released, so its bare "3.8" is refused.
constexpr std::string_view kMetadataVersions =
    "[0.8.0, 0.8.1, 0.8.2, 0.9.0, 0.10.0-IV0, 0.10.0-IV1, 0.10.1-IV0, 0.10.1-IV1, 0.10.1-IV2, 0.10.2-IV0, "
    "0.11.0-IV0, 0.11.0-IV1, 0.11.0-IV2, 1.0-IV0, 1.1-IV0, 2.0-IV0, 2.0-IV1, 2.1-IV0, 2.1-IV1, 2.1-IV2, 2.2-IV0, "
    "2.2-IV1, 2.3-IV0, 2.3-IV1, 2.4-IV0, 2.4-IV1, 2.5-IV0, 2.6-IV0, 2.7-IV0, 2.7-IV1, 2.7-IV2, 2.8-IV0, 2.8-IV1, "
    "3.0-IV0, 3.0-IV1, 3.1-IV0, 3.2-IV0, 3.3-IV0, 3.3-IV1, 3.3-IV2, 3.3-IV3, 3.4-IV0, 3.5-IV0, 3.5-IV1, 3.5-IV2, "
    "3.6-IV0, 3.6-IV1, 3.6-IV2, 3.7-IV0, 3.7-IV1, 3.7-IV2, 3.7-IV3, 3.7-IV4, 3.8-IV0]";

// Kafka 3.7's KafkaConfig (with RemoteLogManagerConfig and its internal keys), plus the 3.8 compression levels
// that storage::LogConfig already reads. Deviation: log.dir defaults to partitad's /tmp/kraft-combined-logs (the
// directory Kafka's own KRaft sample config uses) rather than /tmp/kafka-logs.
// A plain array: std::array's deduction over ~300 elements exceeds clang's fold-expression limit.
constexpr BrokerConfigDef kDefs[]{
    noDefault("advertised.listeners", S, PB),
    noDefault("alter.config.policy.class.name", C, RO),
    row("alter.log.dirs.replication.quota.window.num", I, "11", RO, "[1,...]"),
    row("alter.log.dirs.replication.quota.window.size.seconds", I, "1", RO, "[1,...]"),
    row("authorizer.class.name", S, "", RO, "non-null string"),
    row("auto.create.topics.enable", B, "true", RO),
    row("auto.include.jmx.reporter", B, "true", RO),
    row("auto.leader.rebalance.enable", B, "true", RO),
    row("background.threads", I, "10", CW, "[1,...]"),
    row("broker.heartbeat.interval.ms", I, "2000", RO),
    row("broker.id", I, "-1", RO),
    row("broker.id.generation.enable", B, "true", RO),
    noDefault("broker.rack", S, RO),
    row("broker.session.timeout.ms", I, "9000", RO),
    noDefault("client.quota.callback.class", C, RO),
    row("compression.gzip.level", I, "-1", CW, "[1,...,9] or -1"),
    row("compression.lz4.level", I, "9", CW, "[1,...,17]"),
    row("compression.type", S, "producer", CW, "[uncompressed, zstd, lz4, snappy, gzip, producer]"),
    row("compression.zstd.level", I, "3", CW, "[-131072,...,22]"),
    row("connection.failed.authentication.delay.ms", I, "100", RO, "[0,...]"),
    row("connections.max.idle.ms", L, "600000", RO),
    row("connections.max.reauth.ms", L, "0", RO),
    noDefault("control.plane.listener.name", S, RO),
    row("controlled.shutdown.enable", B, "true", RO),
    row("controlled.shutdown.max.retries", I, "3", RO),
    row("controlled.shutdown.retry.backoff.ms", L, "5000", RO),
    noDefault("controller.listener.names", S, RO),
    row("controller.quorum.append.linger.ms", I, "25", RO),
    row("controller.quorum.election.backoff.max.ms", I, "1000", RO),
    row("controller.quorum.election.timeout.ms", I, "1000", RO),
    row("controller.quorum.fetch.timeout.ms", I, "2000", RO),
    row("controller.quorum.request.timeout.ms", I, "2000", RO),
    row("controller.quorum.retry.backoff.ms", I, "20", RO),
    row("controller.quorum.voters", Li, "", RO, "non-empty list"),
    row("controller.quota.window.num", I, "11", RO, "[1,...]"),
    row("controller.quota.window.size.seconds", I, "1", RO, "[1,...]"),
    row("controller.socket.timeout.ms", I, "30000", RO),
    noDefault("create.topic.policy.class.name", C, RO),
    row("default.replication.factor", I, "1", RO),
    row("delegation.token.expiry.check.interval.ms", L, "3600000", RO, "[1,...]"),
    row("delegation.token.expiry.time.ms", L, "86400000", RO, "[1,...]"),
    noDefault("delegation.token.master.key", P, RO),
    row("delegation.token.max.lifetime.ms", L, "604800000", RO, "[1,...]"),
    noDefault("delegation.token.secret.key", P, RO),
    row("delete.records.purgatory.purge.interval.requests", I, "1", RO),
    row("delete.topic.enable", B, "true", RO),
    noDefault("early.start.listeners", S, RO),
    row("eligible.leader.replicas.enable", B, "false", RO),
    row("fetch.max.bytes", I, "57671680", RO, "[1024,...]"),
    row("fetch.purgatory.purge.interval.requests", I, "1000", RO),
    row("group.consumer.assignors", Li,
        "org.apache.kafka.coordinator.group.assignor.UniformAssignor,org.apache.kafka.coordinator.group.assignor."
        "RangeAssignor",
        RO),
    row("group.consumer.heartbeat.interval.ms", I, "5000", RO, "[1,...]"),
    row("group.consumer.max.heartbeat.interval.ms", I, "15000", RO, "[1,...]"),
    row("group.consumer.max.session.timeout.ms", I, "60000", RO, "[1,...]"),
    row("group.consumer.max.size", I, "2147483647", RO, "[1,...]"),
    row("group.consumer.min.heartbeat.interval.ms", I, "5000", RO, "[1,...]"),
    row("group.consumer.min.session.timeout.ms", I, "45000", RO, "[1,...]"),
    row("group.consumer.session.timeout.ms", I, "45000", RO, "[1,...]"),
    row("group.coordinator.new.enable", B, "false", RO),
    row("group.coordinator.rebalance.protocols", Li, "classic", RO, "[consumer, classic]"),
    row("group.coordinator.threads", I, "1", RO, "[1,...]"),
    row("group.initial.rebalance.delay.ms", I, "3000", RO),
    row("group.max.session.timeout.ms", I, "1800000", RO),
    row("group.max.size", I, "2147483647", RO, "[1,...]"),
    row("group.min.session.timeout.ms", I, "6000", RO),
    row("initial.broker.registration.timeout.ms", I, "60000", RO),
    noDefault("inter.broker.listener.name", S, RO),
    row("inter.broker.protocol.version", S, "3.7-IV4", RO, kMetadataVersions),
    row("kafka.metrics.polling.interval.secs", I, "10", RO, "[1,...]"),
    row("kafka.metrics.reporters", Li, "", RO),
    row("leader.imbalance.check.interval.seconds", L, "300", RO, "[1,...]"),
    row("leader.imbalance.per.broker.percentage", I, "10", RO),
    row("listener.security.protocol.map", S,
        "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL", PB),
    row("listeners", S, "PLAINTEXT://:9092", PB),
    row("log.cleaner.backoff.ms", L, "15000", CW, "[0,...]"),
    row("log.cleaner.dedupe.buffer.size", L, "134217728", CW),
    row("log.cleaner.delete.retention.ms", L, "86400000", CW, "[0,...]"),
    row("log.cleaner.enable", B, "true", RO),
    row("log.cleaner.io.buffer.load.factor", D, "0.9", CW),
    row("log.cleaner.io.buffer.size", I, "524288", CW, "[0,...]"),
    row("log.cleaner.io.max.bytes.per.second", D, "1.7976931348623157E308", CW),
    row("log.cleaner.max.compaction.lag.ms", L, "9223372036854775807", CW, "[1,...]"),
    row("log.cleaner.min.cleanable.ratio", D, "0.5", CW, "[0,...,1]"),
    row("log.cleaner.min.compaction.lag.ms", L, "0", CW, "[0,...]"),
    row("log.cleaner.threads", I, "1", CW, "[0,...]"),
    row("log.cleanup.policy", Li, "delete", CW, "[compact, delete]"),
    row("log.dir", S, "/tmp/kraft-combined-logs", RO),
    noDefault("log.dirs", S, RO),
    row("log.flush.interval.messages", L, "9223372036854775807", CW, "[1,...]"),
    noDefault("log.flush.interval.ms", L, CW),
    row("log.flush.offset.checkpoint.interval.ms", I, "60000", RO, "[0,...]"),
    row("log.flush.scheduler.interval.ms", L, "9223372036854775807", RO),
    row("log.flush.start.offset.checkpoint.interval.ms", I, "60000", RO, "[0,...]"),
    row("log.index.interval.bytes", I, "4096", CW, "[0,...]"),
    row("log.index.size.max.bytes", I, "10485760", CW, "[4,...]"),
    row("log.local.retention.bytes", L, "-2", CW, "[-2,...]"),
    row("log.local.retention.ms", L, "-2", CW, "[-2,...]"),
    row("log.message.downconversion.enable", B, "true", CW),
    row("log.message.format.version", S, "3.0-IV1", RO, kMetadataVersions),
    row("log.message.timestamp.after.max.ms", L, "9223372036854775807", CW, "[0,...]"),
    row("log.message.timestamp.before.max.ms", L, "9223372036854775807", CW, "[0,...]"),
    row("log.message.timestamp.difference.max.ms", L, "9223372036854775807", CW, "[0,...]"),
    row("log.message.timestamp.type", S, "CreateTime", CW, "[CreateTime, LogAppendTime]"),
    row("log.preallocate", B, "false", CW),
    row("log.retention.bytes", L, "-1", CW),
    row("log.retention.check.interval.ms", L, "300000", RO, "[1,...]"),
    row("log.retention.hours", I, "168", RO),
    noDefault("log.retention.minutes", I, RO),
    noDefault("log.retention.ms", L, CW),
    row("log.roll.hours", I, "168", RO, "[1,...]"),
    row("log.roll.jitter.hours", I, "0", RO, "[0,...]"),
    noDefault("log.roll.jitter.ms", L, CW),
    noDefault("log.roll.ms", L, CW),
    row("log.segment.bytes", I, "1073741824", CW, "[14,...]"),
    row("log.segment.delete.delay.ms", L, "60000", CW, "[0,...]"),
    row("max.connection.creation.rate", I, "2147483647", CW, "[0,...]"),
    row("max.connections", I, "2147483647", CW, "[0,...]"),
    row("max.connections.per.ip", I, "2147483647", CW, "[0,...]"),
    row("max.connections.per.ip.overrides", S, "", CW),
    row("max.incremental.fetch.session.cache.slots", I, "1000", RO, "[0,...]"),
    row("message.max.bytes", I, "1048588", CW, "[0,...]"),
    noDefault("metadata.log.dir", S, RO),
    row("metadata.log.max.record.bytes.between.snapshots", L, "20971520", RO, "[1,...]"),
    row("metadata.log.max.snapshot.interval.ms", L, "3600000", RO, "[0,...]"),
    row("metadata.log.segment.bytes", I, "1073741824", RO, "[12,...]"),
    row("metadata.log.segment.min.bytes", I, "8388608", RO, "[12,...]"),
    row("metadata.log.segment.ms", L, "604800000", RO),
    row("metadata.max.idle.interval.ms", I, "500", RO, "[0,...]"),
    row("metadata.max.retention.bytes", L, "104857600", RO),
    row("metadata.max.retention.ms", L, "604800000", RO),
    row("metric.reporters", Li, "", CW),
    row("metrics.num.samples", I, "2", RO, "[1,...]"),
    row("metrics.recording.level", S, "INFO", RO),
    row("metrics.sample.window.ms", L, "30000", RO, "[1,...]"),
    row("min.insync.replicas", I, "1", CW, "[1,...]"),
    row("node.id", I, "-1", RO),
    row("num.io.threads", I, "8", CW, "[1,...]"),
    row("num.network.threads", I, "3", CW, "[1,...]"),
    row("num.partitions", I, "1", RO, "[1,...]"),
    row("num.recovery.threads.per.data.dir", I, "1", CW, "[1,...]"),
    noDefault("num.replica.alter.log.dirs.threads", I, RO),
    row("num.replica.fetchers", I, "1", CW),
    row("offset.metadata.max.bytes", I, "4096", RO),
    row("offsets.commit.required.acks", Sh, "-1", RO),
    row("offsets.commit.timeout.ms", I, "5000", RO, "[1,...]"),
    row("offsets.load.buffer.size", I, "5242880", RO, "[1,...]"),
    row("offsets.retention.check.interval.ms", L, "600000", RO, "[1,...]"),
    row("offsets.retention.minutes", I, "10080", RO, "[1,...]"),
    row("offsets.topic.compression.codec", I, "0", RO),
    row("offsets.topic.num.partitions", I, "50", RO, "[1,...]"),
    row("offsets.topic.replication.factor", Sh, "3", RO, "[1,...]"),
    row("offsets.topic.segment.bytes", I, "104857600", RO, "[1,...]"),
    row("password.encoder.cipher.algorithm", S, "AES/CBC/PKCS5Padding", RO),
    row("password.encoder.iterations", I, "4096", RO, "[1024,...]"),
    row("password.encoder.key.length", I, "128", RO, "[8,...]"),
    noDefault("password.encoder.keyfactory.algorithm", S, RO),
    noDefault("password.encoder.old.secret", P, RO),
    noDefault("password.encoder.secret", P, RO),
    row("principal.builder.class", C, "org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder",
        PB),
    row("process.roles", Li, "", RO, "[broker, controller]"),
    row("producer.id.expiration.check.interval.ms", I, "600000", RO, "[1,...]"),
    row("producer.id.expiration.ms", I, "86400000", CW, "[1,...]"),
    row("producer.purgatory.purge.interval.requests", I, "1000", RO),
    row("queued.max.request.bytes", L, "-1", RO),
    row("queued.max.requests", I, "500", RO, "[1,...]"),
    row("quota.window.num", I, "11", RO, "[1,...]"),
    row("quota.window.size.seconds", I, "1", RO, "[1,...]"),
    row("remote.log.index.file.cache.total.size.bytes", L, "1073741824", CW, "[1,...]"),
    row("remote.log.manager.task.interval.ms", L, "30000", RO, "[1,...]"),
    row("remote.log.manager.thread.pool.size", I, "10", RO, "[1,...]"),
    row("remote.log.metadata.custom.metadata.max.bytes", I, "128", RO, "[0,...]"),
    row("remote.log.metadata.manager.class.name", S,
        "org.apache.kafka.server.log.remote.metadata.storage.TopicBasedRemoteLogMetadataManager", RO,
        "non-empty string"),
    noDefault("remote.log.metadata.manager.class.path", S, RO),
    row("remote.log.metadata.manager.impl.prefix", S, "rlmm.config.", RO, "non-empty string"),
    noDefault("remote.log.metadata.manager.listener.name", S, RO, "non-empty string"),
    row("remote.log.reader.max.pending.tasks", I, "100", RO, "[1,...]"),
    row("remote.log.reader.threads", I, "10", RO, "[1,...]"),
    noDefault("remote.log.storage.manager.class.name", S, RO, "non-empty string"),
    noDefault("remote.log.storage.manager.class.path", S, RO),
    row("remote.log.storage.manager.impl.prefix", S, "rsm.config.", RO, "non-empty string"),
    row("remote.log.storage.system.enable", B, "false", RO),
    row("replica.fetch.backoff.ms", I, "1000", RO, "[0,...]"),
    row("replica.fetch.max.bytes", I, "1048576", RO, "[0,...]"),
    row("replica.fetch.min.bytes", I, "1", RO),
    row("replica.fetch.response.max.bytes", I, "10485760", RO, "[0,...]"),
    row("replica.fetch.wait.max.ms", I, "500", RO),
    row("replica.high.watermark.checkpoint.interval.ms", L, "5000", RO),
    row("replica.lag.time.max.ms", L, "30000", RO),
    noDefault("replica.selector.class", S, RO),
    row("replica.socket.receive.buffer.bytes", I, "65536", RO),
    row("replica.socket.timeout.ms", I, "30000", RO),
    row("replication.quota.window.num", I, "11", RO, "[1,...]"),
    row("replication.quota.window.size.seconds", I, "1", RO, "[1,...]"),
    row("request.timeout.ms", I, "30000", RO),
    row("reserved.broker.max.id", I, "1000", RO, "[0,...]"),
    noDefault("sasl.client.callback.handler.class", C, RO),
    row("sasl.enabled.mechanisms", Li, "GSSAPI", PB),
    noDefault("sasl.jaas.config", P, PB),
    row("sasl.kerberos.kinit.cmd", S, "/usr/bin/kinit", PB),
    row("sasl.kerberos.min.time.before.relogin", L, "60000", PB),
    row("sasl.kerberos.principal.to.local.rules", Li, "DEFAULT", PB),
    noDefault("sasl.kerberos.service.name", S, PB),
    row("sasl.kerberos.ticket.renew.jitter", D, "0.05", PB),
    row("sasl.kerberos.ticket.renew.window.factor", D, "0.8", PB),
    noDefault("sasl.login.callback.handler.class", C, RO),
    noDefault("sasl.login.class", C, RO),
    noDefault("sasl.login.connect.timeout.ms", I, RO),
    noDefault("sasl.login.read.timeout.ms", I, RO),
    row("sasl.login.refresh.buffer.seconds", Sh, "300", PB),
    row("sasl.login.refresh.min.period.seconds", Sh, "60", PB),
    row("sasl.login.refresh.window.factor", D, "0.8", PB),
    row("sasl.login.refresh.window.jitter", D, "0.05", PB),
    row("sasl.login.retry.backoff.max.ms", L, "10000", RO),
    row("sasl.login.retry.backoff.ms", L, "100", RO),
    row("sasl.mechanism.controller.protocol", S, "GSSAPI", RO),
    row("sasl.mechanism.inter.broker.protocol", S, "GSSAPI", PB),
    row("sasl.oauthbearer.clock.skew.seconds", I, "30", RO),
    noDefault("sasl.oauthbearer.expected.audience", Li, RO),
    noDefault("sasl.oauthbearer.expected.issuer", S, RO),
    row("sasl.oauthbearer.jwks.endpoint.refresh.ms", L, "3600000", RO),
    row("sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms", L, "10000", RO),
    row("sasl.oauthbearer.jwks.endpoint.retry.backoff.ms", L, "100", RO),
    noDefault("sasl.oauthbearer.jwks.endpoint.url", S, RO),
    row("sasl.oauthbearer.scope.claim.name", S, "scope", RO),
    row("sasl.oauthbearer.sub.claim.name", S, "sub", RO),
    noDefault("sasl.oauthbearer.token.endpoint.url", S, RO),
    noDefault("sasl.server.callback.handler.class", C, RO),
    row("sasl.server.max.receive.size", I, "524288", RO),
    row("security.inter.broker.protocol", S, "PLAINTEXT", RO, "[PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL]"),
    noDefault("security.providers", S, RO),
    row("server.max.startup.time.ms", L, "9223372036854775807", RO, "[0,...]"),
    row("socket.connection.setup.timeout.max.ms", L, "30000", RO),
    row("socket.connection.setup.timeout.ms", L, "10000", RO),
    row("socket.listen.backlog.size", I, "50", RO, "[1,...]"),
    row("socket.receive.buffer.bytes", I, "102400", RO),
    row("socket.request.max.bytes", I, "104857600", RO, "[1,...]"),
    row("socket.send.buffer.bytes", I, "102400", RO),
    row("ssl.allow.dn.changes", B, "false", RO),
    row("ssl.allow.san.changes", B, "false", RO),
    row("ssl.cipher.suites", Li, "", PB),
    row("ssl.client.auth", S, "none", PB, "[required, requested, none]"),
    row("ssl.enabled.protocols", Li, "TLSv1.2,TLSv1.3", PB),
    row("ssl.endpoint.identification.algorithm", S, "https", PB),
    noDefault("ssl.engine.factory.class", C, PB),
    noDefault("ssl.key.password", P, PB),
    row("ssl.keymanager.algorithm", S, "SunX509", PB),
    noDefault("ssl.keystore.certificate.chain", P, PB),
    noDefault("ssl.keystore.key", P, PB),
    noDefault("ssl.keystore.location", S, PB),
    noDefault("ssl.keystore.password", P, PB),
    row("ssl.keystore.type", S, "JKS", PB),
    row("ssl.principal.mapping.rules", S, "DEFAULT", RO),
    row("ssl.protocol", S, "TLSv1.3", PB),
    noDefault("ssl.provider", S, PB),
    noDefault("ssl.secure.random.implementation", S, PB),
    row("ssl.trustmanager.algorithm", S, "PKIX", PB),
    noDefault("ssl.truststore.certificates", P, PB),
    noDefault("ssl.truststore.location", S, PB),
    noDefault("ssl.truststore.password", P, PB),
    row("ssl.truststore.type", S, "JKS", PB),
    row("telemetry.max.bytes", I, "1048576", RO, "[1,...]"),
    row("transaction.abort.timed.out.transaction.cleanup.interval.ms", I, "10000", RO, "[1,...]"),
    row("transaction.max.timeout.ms", I, "900000", RO, "[1,...]"),
    row("transaction.partition.verification.enable", B, "true", CW),
    row("transaction.remove.expired.transaction.cleanup.interval.ms", I, "3600000", RO, "[1,...]"),
    row("transaction.state.log.load.buffer.size", I, "5242880", RO, "[1,...]"),
    row("transaction.state.log.min.isr", I, "2", RO, "[1,...]"),
    row("transaction.state.log.num.partitions", I, "50", RO, "[1,...]"),
    row("transaction.state.log.replication.factor", Sh, "3", RO, "[1,...]"),
    row("transaction.state.log.segment.bytes", I, "104857600", RO, "[1,...]"),
    row("transactional.id.expiration.ms", I, "604800000", RO, "[1,...]"),
    row("unclean.leader.election.enable", B, "false", CW),
    row("unstable.api.versions.enable", B, "false", RO),
    row("unstable.metadata.versions.enable", B, "false", RO),
    noDefault("zookeeper.clientCnxnSocket", S, RO),
    noDefault("zookeeper.connect", S, RO),
    noDefault("zookeeper.connection.timeout.ms", I, RO),
    row("zookeeper.max.in.flight.requests", I, "10", RO, "[1,...]"),
    row("zookeeper.metadata.migration.enable", B, "false", RO),
    row("zookeeper.metadata.migration.min.batch.size", I, "200", RO, "[1,...]"),
    row("zookeeper.session.timeout.ms", I, "18000", RO),
    row("zookeeper.set.acl", B, "false", RO),
    noDefault("zookeeper.ssl.cipher.suites", Li, RO),
    row("zookeeper.ssl.client.enable", B, "false", RO),
    row("zookeeper.ssl.crl.enable", B, "false", RO),
    noDefault("zookeeper.ssl.enabled.protocols", Li, RO),
    row("zookeeper.ssl.endpoint.identification.algorithm", S, "HTTPS", RO),
    noDefault("zookeeper.ssl.keystore.location", S, RO),
    noDefault("zookeeper.ssl.keystore.password", P, RO),
    noDefault("zookeeper.ssl.keystore.type", S, RO),
    row("zookeeper.ssl.ocsp.enable", B, "false", RO),
    row("zookeeper.ssl.protocol", S, "TLSv1.2", RO),
    noDefault("zookeeper.ssl.truststore.location", S, RO),
    noDefault("zookeeper.ssl.truststore.password", P, RO),
    noDefault("zookeeper.ssl.truststore.type", S, RO),
};

static_assert([] {
    for (size_t i = 1; i < std::size(kDefs); ++i)
        if (!(kDefs[i - 1].name < kDefs[i].name)) return false;
    return true;
}());

}  // namespace

std::span<const BrokerConfigDef> brokerConfigDefs() {
    return std::span<const BrokerConfigDef>(kDefs);
}

const BrokerConfigDef* findBrokerConfig(std::string_view name) {
    auto it = std::lower_bound(std::begin(kDefs), std::end(kDefs), name,
                               [](const BrokerConfigDef& def, std::string_view key) { return def.name < key; });
    return it != std::end(kDefs) && it->name == name ? &*it : nullptr;
}

}  // namespace partita::broker
