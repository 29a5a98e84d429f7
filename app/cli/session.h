// Session: one command's connection to the cluster (client, admin) and its synchronous calls.
#pragma once

#include "clierrors.h"
#include "clioptions.h"
#include "syncwait.h"

#include "engine/client/admin.h"
#include "engine/client/kafkaclient.h"

#include <chrono>
#include <map>
#include <memory>
#include <string>

namespace partita::cli {

class Session {
public:
    // Builds the client from the options (UsageError for bad settings). Nothing is sent yet.
    explicit Session(const CommonOptions& options, const std::map<std::string, std::string>& overrides = {});
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    const std::shared_ptr<client::KafkaClient>& client() const { return m_client; }
    client::Admin& admin() { return m_admin; }
    bool json() const { return m_json; }
    // request.timeout.ms (or --timeout): engine calls end by then.
    int32_t timeoutMs() const;

    // Runs one asynchronous call and waits for its result.
    template <class T, class Start>
    Result<T> call(Start&& start) const {
        return waitFor<T>(std::forward<Start>(start), waitLimit());
    }
    template <class Start>
    Status callStatus(Start&& start) const {
        return waitForStatus(std::forward<Start>(start), waitLimit());
    }
    // As call(), throwing CommandFailed (prefixed by `context`) when it fails.
    template <class T, class Start>
    T require(Start&& start, const std::string& context = {}) const {
        return valueOrThrow(call<T>(std::forward<Start>(start)), context);
    }

    // As require(), saying plainly when the broker lacks the feature's APIs (e.g. no ACLs).
    template <class T, class Start>
    T requireFeature(Start&& start, const std::string& context, const std::string& feature) const {
        auto result = call<T>(std::forward<Start>(start));
        if (!result.ok() && result.error().kind == ErrorKind::Unsupported)
            throw CommandFailed(context + ": the broker does not support " + feature + " (" + result.error().message +
                                ")");
        return valueOrThrow(std::move(result), context);
    }

private:
    // The engine's own deadlines come first; this only guards against a call that never ends.
    std::chrono::milliseconds waitLimit() const { return std::chrono::milliseconds(timeoutMs() + 5000); }

    std::shared_ptr<client::KafkaClient> m_client;
    client::Admin m_admin;
    bool m_json = false;
};

}  // namespace partita::cli
