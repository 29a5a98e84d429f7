// Admin's SCRAM user operations: describe and alter (upsert / delete) credentials. The salted
// password is derived here (RFC 5802's Hi, i.e. PBKDF2) so the password never leaves the process.
#include "engine/client/admin.h"
#include "engine/client/adminsupport.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/messages/alteruserscramcredentials.h"
#include "engine/protocol/messages/describeuserscramcredentials.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <set>

namespace partita::client {

using namespace adminsupport;

namespace {

constexpr size_t kSaltBytes = 32;

struct SaltedPassword {
    std::vector<uint8_t> salt;
    std::vector<uint8_t> salted;
};

Result<SaltedPassword> saltPassword(const ScramUpsertion& u) {
    const EVP_MD* digest = u.mechanism == ScramMechanism::ScramSha256   ? EVP_sha256()
                           : u.mechanism == ScramMechanism::ScramSha512 ? EVP_sha512()
                                                                        : nullptr;
    if (digest == nullptr) return Error{ErrorKind::InvalidArgument, "user " + u.user + ": unknown SCRAM mechanism"};
    if (u.iterations <= 0)
        return Error{ErrorKind::InvalidArgument, "user " + u.user + ": SCRAM iterations must be positive"};
    SaltedPassword out;
    out.salt.resize(kSaltBytes);
    if (RAND_bytes(out.salt.data(), static_cast<int>(out.salt.size())) != 1)
        return Error{ErrorKind::Io, "user " + u.user + ": no random bytes for the SCRAM salt"};
    out.salted.resize(static_cast<size_t>(EVP_MD_get_size(digest)));
    if (PKCS5_PBKDF2_HMAC(u.password.data(), static_cast<int>(u.password.size()), out.salt.data(),
                          static_cast<int>(out.salt.size()), u.iterations, digest, static_cast<int>(out.salted.size()),
                          out.salted.data()) != 1)
        return Error{ErrorKind::Io, "user " + u.user + ": deriving the salted password failed"};
    return out;
}

std::string userContext(const std::string& user) {
    return "user " + user;
}

}  // namespace

void Admin::describeUserScramCredentials(std::vector<std::string> users, Done<std::vector<UserScramCredentials>> done) {
    auto request = std::make_unique<protocol::DescribeUserScramCredentialsRequest>();
    if (users.empty()) {
        request->users = std::nullopt;  // every user
    } else {
        request->users.emplace();
        for (const auto& u : users) request->users->push_back({u, {}});
    }
    m_client->call<protocol::DescribeUserScramCredentialsResponse>(
        Target::anyBroker(), std::move(request),
        [done](Result<TypedResponse<protocol::DescribeUserScramCredentialsResponse>> result) {
            if (!result.ok()) return done(result.error());
            const auto& response = *result.value();
            if (response.errorCode != 0)
                return done(brokerError(response.errorCode, "DescribeUserScramCredentials",
                                        response.errorMessage.value_or(std::string())));
            std::vector<UserScramCredentials> out;
            for (const auto& r : response.results) {
                UserScramCredentials u;
                u.user = r.user;
                u.status = statusOf(r.errorCode, userContext(r.user), r.errorMessage);
                for (const auto& c : r.credentialInfos)
                    u.credentials.push_back({static_cast<ScramMechanism>(c.mechanism), c.iterations});
                out.push_back(std::move(u));
            }
            done(std::move(out));
        });
}

void Admin::alterUserScramCredentials(std::vector<ScramUpsertion> upsertions, std::vector<ScramDeletion> deletions,
                                      Done<std::vector<ItemStatus>> done) {
    std::vector<std::string> users;  // in first-mention order, each once, as Kafka answers
    std::set<std::string> seen;
    auto note = [&](const std::string& user) {
        if (seen.insert(user).second) users.push_back(user);
    };
    std::map<std::string, Status> localFailures;
    auto request = std::make_unique<protocol::AlterUserScramCredentialsRequest>();
    for (const auto& d : deletions) {
        note(d.user);
        request->deletions.push_back({d.user, static_cast<int8_t>(d.mechanism), {}});
    }
    for (const auto& u : upsertions) {
        note(u.user);
        auto salted = saltPassword(u);
        if (!salted.ok()) {
            localFailures.emplace(u.user, salted.error());
            continue;
        }
        protocol::AlterUserScramCredentialsRequest::ScramCredentialUpsertion up;
        up.name = u.user;
        up.mechanism = static_cast<int8_t>(u.mechanism);
        up.iterations = u.iterations;
        up.salt = Bytes::fromVector(std::move(salted.value().salt));
        up.saltedPassword = Bytes::fromVector(std::move(salted.value().salted));
        request->upsertions.push_back(std::move(up));
    }
    if (users.empty()) return done(std::vector<ItemStatus>{});
    // Kafka rejects the whole user when any of its changes is bad; do the same for one we could
    // not even prepare.
    std::erase_if(request->deletions, [&](const auto& d) { return localFailures.contains(d.name); });
    std::erase_if(request->upsertions, [&](const auto& u) { return localFailures.contains(u.name); });
    auto finish = [users, localFailures, done](const std::map<std::string, Status>& answered) {
        std::vector<ItemStatus> out;
        for (const auto& user : users) {
            if (auto it = localFailures.find(user); it != localFailures.end()) {
                out.push_back({user, it->second});
            } else if (auto a = answered.find(user); a != answered.end()) {
                out.push_back({user, a->second});
            } else {
                out.push_back(
                    {user, Error{ErrorKind::Malformed, userContext(user) + ": the broker did not answer for it"}});
            }
        }
        done(std::move(out));
    };
    if (request->deletions.empty() && request->upsertions.empty()) return finish({});
    m_client->call<protocol::AlterUserScramCredentialsResponse>(
        Target::anyBroker(), std::move(request),
        [finish, done](Result<TypedResponse<protocol::AlterUserScramCredentialsResponse>> result) {
            if (!result.ok()) return done(result.error());
            std::map<std::string, Status> answered;
            for (const auto& r : result.value()->results)
                answered.insert_or_assign(r.user, statusOf(r.errorCode, userContext(r.user), r.errorMessage));
            finish(answered);
        });
}

}  // namespace partita::client
