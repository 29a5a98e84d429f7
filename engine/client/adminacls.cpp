// Admin's ACL operations: describeAcls, createAcls, deleteAcls.
#include "engine/client/admin.h"
#include "engine/client/adminsupport.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/messages/createacls.h"
#include "engine/protocol/messages/deleteacls.h"
#include "engine/protocol/messages/describeacls.h"

namespace partita::client {

using namespace adminsupport;

namespace {

// Pattern types other than LITERAL arrived with v1 of the ACL APIs (Kafka 2.0).
int16_t minVersionFor(AclPatternType type) {
    return type == AclPatternType::Literal ? -1 : 1;
}

std::string describeBinding(const AclBinding& b) {
    return std::string("ACL (") + aclResourceTypeName(b.resourceType) + " " + aclPatternTypeName(b.patternType) + " '" +
           b.resourceName + "', " + b.principal + " from " + b.host + ", " + aclOperationName(b.operation) + " " +
           aclPermissionName(b.permission) + ")";
}

}  // namespace

void Admin::describeAcls(AclBindingFilter filter, Done<std::vector<AclBinding>> done) {
    auto request = std::make_unique<protocol::DescribeAclsRequest>();
    request->resourceTypeFilter = static_cast<int8_t>(filter.resourceType);
    request->resourceNameFilter = filter.resourceName;
    request->patternTypeFilter = static_cast<int8_t>(filter.patternType);
    request->principalFilter = filter.principal;
    request->hostFilter = filter.host;
    request->operation = static_cast<int8_t>(filter.operation);
    request->permissionType = static_cast<int8_t>(filter.permission);
    RequestOptions options;
    options.minVersion = minVersionFor(filter.patternType);
    m_client->call<protocol::DescribeAclsResponse>(
        Target::anyBroker(), std::move(request),
        [done](Result<TypedResponse<protocol::DescribeAclsResponse>> result) {
            if (!result.ok()) return done(result.error());
            const auto& response = *result.value();
            if (response.errorCode != 0)
                return done(brokerError(response.errorCode, "DescribeAcls", response.errorMessage.value_or("")));
            std::vector<AclBinding> out;
            for (const auto& r : response.resources) {
                for (const auto& a : r.acls) {
                    AclBinding b;
                    b.resourceType = static_cast<AclResourceType>(r.resourceType);
                    b.resourceName = r.resourceName;
                    b.patternType = static_cast<AclPatternType>(r.patternType);
                    b.principal = a.principal;
                    b.host = a.host;
                    b.operation = static_cast<AclOperation>(a.operation);
                    b.permission = static_cast<AclPermission>(a.permissionType);
                    out.push_back(std::move(b));
                }
            }
            done(std::move(out));
        },
        options);
}

void Admin::createAcls(std::vector<AclBinding> bindings, Done<std::vector<AclCreationResult>> done) {
    if (bindings.empty()) return done(std::vector<AclCreationResult>{});
    auto request = std::make_unique<protocol::CreateAclsRequest>();
    RequestOptions options;
    for (const auto& b : bindings) {
        protocol::CreateAclsRequest::AclCreation c;
        c.resourceType = static_cast<int8_t>(b.resourceType);
        c.resourceName = b.resourceName;
        c.resourcePatternType = static_cast<int8_t>(b.patternType);
        c.principal = b.principal;
        c.host = b.host;
        c.operation = static_cast<int8_t>(b.operation);
        c.permissionType = static_cast<int8_t>(b.permission);
        request->creations.push_back(std::move(c));
        options.minVersion = std::max(options.minVersion, minVersionFor(b.patternType));
    }
    m_client->call<protocol::CreateAclsResponse>(
        Target::anyBroker(), std::move(request),
        [bindings, done](Result<TypedResponse<protocol::CreateAclsResponse>> result) {
            if (!result.ok()) return done(result.error());
            const auto& results = result.value()->results;
            std::vector<AclCreationResult> out;
            for (size_t i = 0; i < bindings.size(); ++i) {
                // Kafka answers in the order of the creations.
                Status status =
                    i < results.size()
                        ? statusOf(results[i].errorCode, describeBinding(bindings[i]), results[i].errorMessage)
                        : Status(Error{ErrorKind::Malformed,
                                       describeBinding(bindings[i]) + ": the broker did not answer for it"});
                out.push_back({bindings[i], std::move(status)});
            }
            done(std::move(out));
        },
        options);
}

void Admin::deleteAcls(std::vector<AclBindingFilter> filters, Done<std::vector<AclDeletionResult>> done) {
    if (filters.empty()) return done(std::vector<AclDeletionResult>{});
    auto request = std::make_unique<protocol::DeleteAclsRequest>();
    RequestOptions options;
    for (const auto& f : filters) {
        protocol::DeleteAclsRequest::DeleteAclsFilter d;
        d.resourceTypeFilter = static_cast<int8_t>(f.resourceType);
        d.resourceNameFilter = f.resourceName;
        d.patternTypeFilter = static_cast<int8_t>(f.patternType);
        d.principalFilter = f.principal;
        d.hostFilter = f.host;
        d.operation = static_cast<int8_t>(f.operation);
        d.permissionType = static_cast<int8_t>(f.permission);
        request->filters.push_back(std::move(d));
        options.minVersion = std::max(options.minVersion, minVersionFor(f.patternType));
    }
    m_client->call<protocol::DeleteAclsResponse>(
        Target::anyBroker(), std::move(request),
        [filters, done](Result<TypedResponse<protocol::DeleteAclsResponse>> result) {
            if (!result.ok()) return done(result.error());
            const auto& results = result.value()->filterResults;
            std::vector<AclDeletionResult> out;
            for (size_t i = 0; i < filters.size(); ++i) {
                AclDeletionResult r;
                r.filter = filters[i];
                if (i >= results.size()) {
                    r.status = Error{ErrorKind::Malformed, "DeleteAcls: the broker did not answer for a filter"};
                    out.push_back(std::move(r));
                    continue;
                }
                r.status = statusOf(results[i].errorCode, "DeleteAcls", results[i].errorMessage);
                for (const auto& m : results[i].matchingAcls) {
                    AclBinding b;
                    b.resourceType = static_cast<AclResourceType>(m.resourceType);
                    b.resourceName = m.resourceName;
                    b.patternType = static_cast<AclPatternType>(m.patternType);
                    b.principal = m.principal;
                    b.host = m.host;
                    b.operation = static_cast<AclOperation>(m.operation);
                    b.permission = static_cast<AclPermission>(m.permissionType);
                    if (m.errorCode != 0)
                        r.failures.push_back(
                            brokerError(m.errorCode, describeBinding(b), m.errorMessage.value_or(std::string())));
                    else
                        r.deleted.push_back(std::move(b));
                }
                out.push_back(std::move(r));
            }
            done(std::move(out));
        },
        options);
}

}  // namespace partita::client
