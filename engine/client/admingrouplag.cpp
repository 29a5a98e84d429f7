// Admin::describeConsumerGroupLag: what kafka-consumer-groups.sh --describe shows, from a group
// description, its committed offsets and the partitions' log end offsets.
#include "engine/client/admin.h"
#include "engine/client/adminsupport.h"
#include "engine/client/kafkaclient.h"
#include "engine/protocol/errorcodes.h"

#include <map>
#include <set>

namespace partita::client {

using namespace adminsupport;

namespace {

struct LagInputs {
    std::optional<Result<std::vector<ConsumerGroupDescription>>> description;
    std::optional<Result<std::vector<CommittedOffset>>> offsets;
};

void finishLag(const std::shared_ptr<KafkaClient>& client, const std::string& group,
               const ConsumerGroupDescription& description, const std::vector<CommittedOffset>& committed,
               Admin::Done<ConsumerGroupLag> done) {
    auto lag = std::make_shared<ConsumerGroupLag>();
    lag->groupId = group;
    lag->state = description.state;
    lag->coordinatorId = description.coordinatorId;
    lag->members = description.members;

    // Every partition the group committed or a member owns, like the Kafka tool.
    std::map<TopicPartition, PartitionLag> rows;
    for (const auto& c : committed) {
        auto& row = rows[c.partition];
        row.partition = c.partition;
        if (!c.status.ok())
            row.status = c.status;
        else if (c.offset >= 0)
            row.committedOffset = c.offset;
    }
    for (const auto& m : description.members) {
        for (const auto& tp : m.assignment) {
            auto& row = rows[tp];
            row.partition = tp;
            row.memberId = m.memberId;
            row.groupInstanceId = m.groupInstanceId;
            row.clientId = m.clientId;
            row.host = m.host;
        }
    }
    std::map<TopicPartition, int64_t> specs;
    for (const auto& [tp, row] : rows) specs[tp] = OffsetSpec::kLatest;
    auto shared = std::make_shared<std::map<TopicPartition, PartitionLag>>(std::move(rows));
    Admin(client).listOffsets(std::move(specs), IsolationLevel::ReadUncommitted,
                              [lag, shared, done](Result<std::vector<ListedOffset>> ends) {
                                  if (!ends.ok()) return done(ends.error());
                                  for (const auto& end : ends.value()) {
                                      auto& row = (*shared)[end.partition];
                                      if (!end.status.ok()) {
                                          if (row.status.ok()) row.status = end.status;
                                          continue;
                                      }
                                      row.logEndOffset = end.offset;
                                  }
                                  for (auto& [tp, row] : *shared) {
                                      if (row.committedOffset && row.logEndOffset) {
                                          row.lag = *row.logEndOffset - *row.committedOffset;
                                          lag->totalLag += *row.lag;
                                      } else {
                                          ++lag->partitionsWithoutLag;
                                      }
                                      lag->partitions.push_back(std::move(row));
                                  }
                                  done(std::move(*lag));
                              });
}

}  // namespace

void Admin::describeConsumerGroupLag(std::string group, Done<ConsumerGroupLag> done) {
    std::weak_ptr<KafkaClient> weak = m_client;
    auto inputs = std::make_shared<LagInputs>();
    auto mutex = std::make_shared<std::mutex>();
    // Runs once both answers are in.
    auto proceed = [weak, group, inputs, done] {
        if (!inputs->description->ok()) return done(inputs->description->error());
        if (!inputs->offsets->ok()) return done(inputs->offsets->error());
        const auto& descriptions = inputs->description->value();
        if (descriptions.empty()) return done(Error{ErrorKind::Malformed, "group " + group + ": no description"});
        const auto& description = descriptions.front();
        if (!description.status.ok()) return done(description.status.error());
        const auto& committed = inputs->offsets->value();
        if (description.state == "Dead" && committed.empty())
            return done(Error{ErrorKind::Broker, "group " + group + " does not exist",
                              protocol::code(protocol::ErrorCode::GroupIdNotFound)});
        auto client = weak.lock();
        if (!client) return done(clientGone());
        finishLag(client, group, description, committed, done);
    };
    describeConsumerGroups({group}, {}, [inputs, mutex, proceed](Result<std::vector<ConsumerGroupDescription>> r) {
        bool ready = false;
        {
            std::lock_guard lock(*mutex);
            inputs->description = std::move(r);
            ready = inputs->offsets.has_value();
        }
        if (ready) proceed();
    });
    listConsumerGroupOffsets(group, {}, [inputs, mutex, proceed](Result<std::vector<CommittedOffset>> r) {
        bool ready = false;
        {
            std::lock_guard lock(*mutex);
            inputs->offsets = std::move(r);
            ready = inputs->description.has_value();
        }
        if (ready) proceed();
    });
}

}  // namespace partita::client
