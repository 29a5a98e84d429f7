// The fetch session cache: creating, updating, closing and evicting sessions, and incremental reporting.
#include "engine/broker/fetchsessions.h"

#include "engine/protocol/errorcodes.h"

#include <algorithm>

namespace partita::broker {

namespace {
constexpr int32_t kInitialEpoch = 0;
constexpr int32_t kFinalEpoch = -1;
}  // namespace

FetchSessions::Session* FetchSessions::find(int32_t id) {
    for (auto it = m_sessions.begin(); it != m_sessions.end(); ++it) {
        if (it->id == id) {
            m_sessions.splice(m_sessions.begin(), m_sessions, it);  // most recently used first
            return &m_sessions.front();
        }
    }
    return nullptr;
}

int32_t FetchSessions::newId() {
    // Positive, never 0, not in use: a fresh id a client cannot guess from the previous one.
    for (;;) {
        m_idState ^= m_idState << 13;
        m_idState ^= m_idState >> 17;
        m_idState ^= m_idState << 5;
        int32_t id = int32_t(m_idState & 0x7fffffff);
        if (id == 0) continue;
        bool used = std::any_of(m_sessions.begin(), m_sessions.end(), [id](const Session& s) { return s.id == id; });
        if (!used) return id;
    }
}

FetchSessions::Plan FetchSessions::begin(int32_t sessionId, int32_t epoch,
                                         const std::vector<std::pair<FetchKey, FetchPosition>>& requested,
                                         const std::vector<FetchKey>& forgotten) {
    std::lock_guard lock(m_mutex);
    Plan plan;
    if (sessionId == 0) {
        // A full fetch: sessionless (epoch -1) or asking for a new session (epoch 0).
        plan.partitions = requested;
        if (epoch == kInitialEpoch && m_maxSessions > 0) {
            if (m_sessions.size() >= m_maxSessions) m_sessions.pop_back();
            Session session;
            session.id = newId();
            for (const auto& [key, position] : requested) {
                if (session.partitions.emplace(key, Entry{position, std::nullopt}).second) session.order.push_back(key);
            }
            plan.sessionId = session.id;
            m_sessions.push_front(std::move(session));
        }
        return plan;
    }
    Session* session = find(sessionId);
    if (epoch == kFinalEpoch) {
        // Closing the session: this request is answered as a full sessionless fetch.
        if (session) m_sessions.pop_front();
        plan.partitions = requested;
        return plan;
    }
    if (!session) {
        plan.errorCode = protocol::code(protocol::ErrorCode::FetchSessionIdNotFound);
        return plan;
    }
    if (epoch != session->nextEpoch) {
        plan.errorCode = protocol::code(protocol::ErrorCode::InvalidFetchSessionEpoch);
        return plan;
    }
    session->nextEpoch = epoch == INT32_MAX ? 1 : epoch + 1;
    for (const FetchKey& key : forgotten) {
        if (session->partitions.erase(key)) std::erase(session->order, key);
    }
    for (const auto& [key, position] : requested) {
        auto [it, added] = session->partitions.try_emplace(key, Entry{position, std::nullopt});
        if (added) {
            session->order.push_back(key);
        } else {
            it->second.position = position;
        }
    }
    plan.sessionId = session->id;
    plan.incremental = true;
    for (const FetchKey& key : session->order) plan.partitions.emplace_back(key, session->partitions.at(key).position);
    return plan;
}

const FetchSessions::Entry* FetchSessions::entry(int32_t sessionId, const FetchKey& key) const {
    for (const Session& s : m_sessions) {
        if (s.id != sessionId) continue;
        auto it = s.partitions.find(key);
        return it == s.partitions.end() ? nullptr : &it->second;
    }
    return nullptr;
}

bool FetchSessions::hasNews(int32_t sessionId, const FetchKey& key, const ReportedState& state,
                            bool hasRecordsOrError) const {
    std::lock_guard lock(m_mutex);
    const Entry* e = entry(sessionId, key);
    if (!e || !e->reported || hasRecordsOrError) return true;
    return e->reported->highWatermark != state.highWatermark ||
           e->reported->lastStableOffset != state.lastStableOffset ||
           e->reported->logStartOffset != state.logStartOffset;
}

void FetchSessions::remember(int32_t sessionId, const FetchKey& key, const ReportedState& state) {
    std::lock_guard lock(m_mutex);
    if (auto* e = const_cast<Entry*>(entry(sessionId, key))) e->reported = state;
}

size_t FetchSessions::size() const {
    std::lock_guard lock(m_mutex);
    return m_sessions.size();
}

}  // namespace partita::broker
