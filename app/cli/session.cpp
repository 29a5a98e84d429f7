// Session: one command's connection to the cluster (client, admin) and its synchronous calls.
#include "session.h"

#include "clierrors.h"

namespace partita::cli {

namespace {

std::shared_ptr<client::KafkaClient> makeClient(const CommonOptions& options,
                                                const std::map<std::string, std::string>& overrides) {
    auto client = client::KafkaClient::create(clientConfig(options, overrides));
    if (!client.ok()) {
        if (client.error().kind == ErrorKind::InvalidArgument) throw UsageError(client.error().message);
        throw CommandFailed(client.error().message);
    }
    return std::move(client.value());
}

}  // namespace

Session::Session(const CommonOptions& options, const std::map<std::string, std::string>& overrides)
    : m_client(makeClient(options, overrides)), m_admin(m_client), m_json(options.json) {}

Session::~Session() {
    m_client->close();
}

int32_t Session::timeoutMs() const {
    return m_client->config().requestTimeoutMs;
}

}  // namespace partita::cli
