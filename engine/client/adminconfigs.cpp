// Admin's config operations: describeConfigs, alterConfigs (legacy) and incrementalAlterConfigs.
#include "engine/client/admin.h"
#include "engine/client/adminsupport.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/messages/alterconfigs.h"
#include "engine/protocol/messages/describeconfigs.h"
#include "engine/protocol/messages/incrementalalterconfigs.h"

#include <charconv>
#include <map>

namespace partita::client {

using namespace adminsupport;

namespace {

// Resources answered by one broker.
struct Batch {
    Target target;
    std::vector<size_t> indexes;  // into the caller's list
};

// Like Kafka: a broker's (or broker logger's) own config can only be read and changed on that
// broker; everything else (topics, the cluster-wide broker default "") goes to any broker.
std::vector<Batch> batchByTarget(const std::vector<ConfigResource>& resources) {
    std::map<int32_t, Batch> perNode;
    Batch any{Target::anyBroker(), {}};
    for (size_t i = 0; i < resources.size(); ++i) {
        const auto& r = resources[i];
        int32_t id = -1;
        const bool brokerScoped = r.type == ConfigResourceType::Broker || r.type == ConfigResourceType::BrokerLogger;
        const char* end = r.name.data() + r.name.size();
        if (brokerScoped && !r.name.empty() && std::from_chars(r.name.data(), end, id).ptr == end && id >= 0) {
            auto [it, inserted] = perNode.try_emplace(id, Batch{Target::node(id), {}});
            it->second.indexes.push_back(i);
        } else {
            any.indexes.push_back(i);
        }
    }
    std::vector<Batch> batches;
    if (!any.indexes.empty()) batches.push_back(std::move(any));
    for (auto& [id, batch] : perNode) batches.push_back(std::move(batch));
    return batches;
}

std::string describeResource(const ConfigResource& r) {
    return std::string(configResourceTypeName(r.type)) + " " + (r.name.empty() ? "<default>" : r.name);
}

// The index of the resource (type, name) within `batch`, or -1.
template <class Out>
Out* findIn(std::vector<Out>& results, const Batch& batch, int8_t type, const std::string& name) {
    for (size_t i : batch.indexes) {
        auto& r = results[i];
        if (static_cast<int8_t>(r.resource.type) == type && r.resource.name == name) return &r;
    }
    return nullptr;
}

// Sends one request per batch, lets `apply` fill the results of each answer and finishes after
// the last. A broker without the API fails the whole call (Unsupported, unchanged); other request
// failures become the status of that batch's resources.
template <class Resp, class Out>
void runBatches(const std::shared_ptr<KafkaClient>& client, std::vector<Batch> batches, std::vector<Out> results,
                const std::function<std::unique_ptr<protocol::ApiMessage>(const Batch&)>& makeRequest,
                RequestOptions options,
                std::function<void(const Batch&, const TypedResponse<Resp>&, std::vector<Out>&)> apply,
                Admin::Done<std::vector<Out>> done) {
    struct State {
        std::vector<Out> results;
        std::optional<Error> fatal;
    };
    if (batches.empty()) return done(std::move(results));
    auto join = std::make_shared<Join<State>>(batches.size(), [done](State& s) {
        if (s.fatal) return done(*s.fatal);
        done(std::move(s.results));
    });
    join->state().results = std::move(results);
    for (auto& batch : batches) {
        auto request = makeRequest(batch);
        auto shared = std::make_shared<Batch>(std::move(batch));
        client->send(
            shared->target, std::move(request),
            [join, shared, apply](Result<Response> response) {
                auto result = typed<Resp>(std::move(response));
                join->arrive([&](State& s) {
                    if (!result.ok()) {
                        if (result.error().kind == ErrorKind::Unsupported) s.fatal = result.error();
                        for (size_t i : shared->indexes) s.results[i].status = result.error();
                        return;
                    }
                    apply(*shared, result.value(), s.results);
                });
            },
            options);
    }
}

ConfigSource sourceOf(int16_t version, const protocol::DescribeConfigsResponse::DescribeConfigsResourceResult& c,
                      ConfigResourceType type) {
    if (version >= 1) return static_cast<ConfigSource>(c.configSource);
    // v0 only says whether a value is the default; the rest is what Kafka's AdminClient infers.
    if (c.isDefault) return ConfigSource::DefaultConfig;
    if (type == ConfigResourceType::Topic) return ConfigSource::DynamicTopicConfig;
    return ConfigSource::Unknown;
}

template <class Resp>
void applyAlterResults(const Batch& batch, const TypedResponse<Resp>& response, std::vector<ResourceStatus>& out) {
    for (const auto& r : response->responses) {
        if (auto* slot = findIn(out, batch, r.resourceType, r.resourceName))
            slot->status = statusOf(r.errorCode, describeResource(slot->resource), r.errorMessage);
    }
}

std::vector<ResourceStatus> pendingStatuses(const std::vector<ConfigResource>& resources) {
    std::vector<ResourceStatus> out;
    for (const auto& r : resources)
        out.push_back({r, Error{ErrorKind::Malformed, describeResource(r) + ": the broker did not answer for it"}});
    return out;
}

}  // namespace

void Admin::describeConfigs(std::vector<ConfigResource> resources, DescribeConfigsOptions options,
                            Done<std::vector<ResourceConfig>> done) {
    std::vector<ResourceConfig> results;
    for (const auto& r : resources)
        results.push_back(
            {r, Error{ErrorKind::Malformed, describeResource(r) + ": the broker did not answer for it"}, {}});
    RequestOptions requestOptions;
    // Synonyms came with v1, documentation with v3: an older broker answers without them.
    requestOptions.prepareForVersion = [](protocol::ApiMessage& message, int16_t version) {
        auto& r = static_cast<protocol::DescribeConfigsRequest&>(message);
        if (version < 1) r.includeSynonyms = false;
        if (version < 3) r.includeDocumentation = false;
    };
    auto makeRequest = [&resources, &options](const Batch& batch) -> std::unique_ptr<protocol::ApiMessage> {
        auto request = std::make_unique<protocol::DescribeConfigsRequest>();
        request->includeSynonyms = options.includeSynonyms;
        request->includeDocumentation = options.includeDocumentation;
        for (size_t i : batch.indexes) {
            protocol::DescribeConfigsRequest::DescribeConfigsResource r;
            r.resourceType = static_cast<int8_t>(resources[i].type);
            r.resourceName = resources[i].name;
            if (options.configNames.empty())
                r.configurationKeys = std::nullopt;  // every key
            else
                r.configurationKeys = options.configNames;
            request->resources.push_back(std::move(r));
        }
        return request;
    };
    const bool includeDocumentation = options.includeDocumentation;
    auto apply = [includeDocumentation](const Batch& batch,
                                        const TypedResponse<protocol::DescribeConfigsResponse>& response,
                                        std::vector<ResourceConfig>& out) {
        for (const auto& r : response->results) {
            auto* slot = findIn(out, batch, r.resourceType, r.resourceName);
            if (slot == nullptr) continue;
            slot->status = statusOf(r.errorCode, describeResource(slot->resource), r.errorMessage);
            for (const auto& c : r.configs) {
                ConfigEntry e;
                e.name = c.name;
                e.value = c.value;
                e.source = sourceOf(response.version, c, slot->resource.type);
                e.isDefault = response.version >= 1 ? e.source == ConfigSource::DefaultConfig : c.isDefault;
                e.readOnly = c.readOnly;
                e.sensitive = c.isSensitive;
                for (const auto& s : c.synonyms)
                    e.synonyms.push_back({s.name, s.value, static_cast<ConfigSource>(s.source)});
                if (response.version >= 3) {
                    e.type = static_cast<ConfigType>(c.configType);
                    if (includeDocumentation) e.documentation = c.documentation;
                }
                slot->entries.push_back(std::move(e));
            }
        }
    };
    runBatches<protocol::DescribeConfigsResponse, ResourceConfig>(
        m_client, batchByTarget(resources), std::move(results), makeRequest, requestOptions, apply, std::move(done));
}

void Admin::alterConfigs(std::vector<ConfigReplacement> changes, bool validateOnly,
                         Done<std::vector<ResourceStatus>> done) {
    std::vector<ConfigResource> resources;
    for (const auto& c : changes) resources.push_back(c.resource);
    auto makeRequest = [&changes, validateOnly](const Batch& batch) -> std::unique_ptr<protocol::ApiMessage> {
        auto request = std::make_unique<protocol::AlterConfigsRequest>();
        request->validateOnly = validateOnly;
        for (size_t i : batch.indexes) {
            protocol::AlterConfigsRequest::AlterConfigsResource r;
            r.resourceType = static_cast<int8_t>(changes[i].resource.type);
            r.resourceName = changes[i].resource.name;
            for (const auto& [name, value] : changes[i].configs) r.configs.push_back({name, value, {}});
            request->resources.push_back(std::move(r));
        }
        return request;
    };
    runBatches<protocol::AlterConfigsResponse, ResourceStatus>(
        m_client, batchByTarget(resources), pendingStatuses(resources), makeRequest, {},
        applyAlterResults<protocol::AlterConfigsResponse>, std::move(done));
}

void Admin::incrementalAlterConfigs(std::vector<ConfigChanges> changes, bool validateOnly,
                                    Done<std::vector<ResourceStatus>> done) {
    std::vector<ConfigResource> resources;
    for (const auto& c : changes) resources.push_back(c.resource);
    auto makeRequest = [&changes, validateOnly](const Batch& batch) -> std::unique_ptr<protocol::ApiMessage> {
        auto request = std::make_unique<protocol::IncrementalAlterConfigsRequest>();
        request->validateOnly = validateOnly;
        for (size_t i : batch.indexes) {
            protocol::IncrementalAlterConfigsRequest::AlterConfigsResource r;
            r.resourceType = static_cast<int8_t>(changes[i].resource.type);
            r.resourceName = changes[i].resource.name;
            for (const auto& op : changes[i].ops) {
                protocol::IncrementalAlterConfigsRequest::AlterableConfig c;
                c.name = op.name;
                c.configOperation = static_cast<int8_t>(op.op);
                c.value = op.op == ConfigOpType::Delete ? std::nullopt : op.value;
                r.configs.push_back(std::move(c));
            }
            request->resources.push_back(std::move(r));
        }
        return request;
    };
    runBatches<protocol::IncrementalAlterConfigsResponse, ResourceStatus>(
        m_client, batchByTarget(resources), pendingStatuses(resources), makeRequest, {},
        applyAlterResults<protocol::IncrementalAlterConfigsResponse>, std::move(done));
}

}  // namespace partita::client
