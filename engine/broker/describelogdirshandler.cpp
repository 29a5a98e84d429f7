// DescribeLogDirs: the broker's log directory, its partitions' sizes and (v4) the disk's total and usable bytes.
#include "engine/broker/apihandler.h"
#include "engine/broker/brokercontext.h"
#include "engine/broker/handlers.h"
#include "engine/cluster/metadatastore.h"
#include "engine/protocol/errorcodes.h"
#include "engine/protocol/messages/describelogdirs.h"
#include "engine/storage/logmanager.h"
#include "engine/storage/partitionlog.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace partita::broker {

namespace {

using protocol::DescribeLogDirsRequest;
using protocol::DescribeLogDirsResponse;

class DescribeLogDirsHandler final : public TypedHandler<DescribeLogDirsRequest, DescribeLogDirsResponse> {
public:
    explicit DescribeLogDirsHandler(BrokerContext& context) : m_context(context) {}

protected:
    boost::asio::awaitable<std::unique_ptr<protocol::ApiMessage>> serve(const RequestContext&,
                                                                        DescribeLogDirsRequest& request) override {
        auto response = std::make_unique<DescribeLogDirsResponse>();
        // null: every partition; otherwise only those asked for.
        std::optional<std::map<std::string, std::set<int32_t>>> wanted;
        if (request.topics) {
            wanted.emplace();
            for (const auto& topic : *request.topics) {
                (*wanted)[topic.topic].insert(topic.partitions.begin(), topic.partitions.end());
            }
        }

        DescribeLogDirsResponse::DescribeLogDirsResult dir;
        std::error_code ec;
        auto path = std::filesystem::absolute(m_context.config().logDir, ec);
        dir.logDir = ec ? m_context.config().logDir : path.lexically_normal().string();
        if (dir.logDir.size() > 1 && dir.logDir.back() == '/') dir.logDir.pop_back();
        struct statvfs fs {};
        if (::statvfs(dir.logDir.c_str(), &fs) == 0) {
            dir.totalBytes = int64_t(fs.f_blocks) * int64_t(fs.f_frsize);
            dir.usableBytes = int64_t(fs.f_bavail) * int64_t(fs.f_frsize);
        }

        // Every partition this broker holds a replica of; one without a log yet holds no bytes.
        for (const cluster::TopicInfo& topic : m_context.metadata().topics()) {
            const std::set<int32_t>* partitions = nullptr;
            if (wanted) {
                auto it = wanted->find(topic.name);
                if (it == wanted->end()) continue;
                partitions = &it->second;
            }
            DescribeLogDirsResponse::DescribeLogDirsTopic out;
            out.name = topic.name;
            for (const cluster::PartitionInfo& partition : topic.partitions) {
                if (partitions && partitions->count(partition.partition) == 0) continue;
                if (std::find(partition.replicas.begin(), partition.replicas.end(), m_context.nodeId()) ==
                    partition.replicas.end()) {
                    continue;
                }
                DescribeLogDirsResponse::DescribeLogDirsPartition p;
                p.partitionIndex = partition.partition;
                if (auto log = m_context.logs().getLog(topic.name, partition.partition)) {
                    p.partitionSize = int64_t(log->sizeInBytes());
                }
                p.offsetLag = 0;
                p.isFutureKey = false;
                out.partitions.push_back(p);
            }
            if (!out.partitions.empty()) dir.topics.push_back(std::move(out));
        }
        response->results.push_back(std::move(dir));
        co_return response;
    }

private:
    BrokerContext& m_context;
};

}  // namespace

std::unique_ptr<ApiHandler> makeDescribeLogDirsHandler(BrokerContext& context) {
    return std::make_unique<DescribeLogDirsHandler>(context);
}

}  // namespace partita::broker
