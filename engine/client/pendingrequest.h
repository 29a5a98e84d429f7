// PendingRequest: one request on its way through routing, a connection and back, completed exactly once.
#pragma once

#include "engine/client/kafkaclient.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <memory>

namespace partita::client::detail {

class BrokerConnection;

struct PendingRequest : std::enable_shared_from_this<PendingRequest> {
    PendingRequest(boost::asio::io_context& io, Target target, std::unique_ptr<protocol::ApiMessage> request,
                   ResponseCallback callback, RequestOptions options, std::chrono::steady_clock::time_point deadline)
        : target(std::move(target)),
          request(std::move(request)),
          options(options),
          deadline(deadline),
          m_strand(boost::asio::make_strand(io)),
          m_timer(m_strand),
          m_callback(std::move(callback)) {}

    Target target;
    std::unique_ptr<protocol::ApiMessage> request;
    RequestOptions options;
    std::chrono::steady_clock::time_point deadline;
    // Set by the connection that carries it (on that connection's strand): whether its bytes
    // reached the socket (a request never written can safely go to another broker).
    bool written = false;
    int attempts = 0;
    // The connection it is in flight on, so a timeout can close it: responses come in order,
    // and a broker that stopped answering one request will not answer the next either.
    std::weak_ptr<BrokerConnection> connection;

    bool isCompleted() const { return m_completed.load(std::memory_order_acquire); }

    // Starts the deadline timer; `onExpired` runs (on an engine thread) if the request is
    // still pending at its deadline.
    template <class OnExpired>
    void armDeadline(OnExpired onExpired) {
        boost::asio::post(m_strand, [self = shared_from_this(), onExpired = std::move(onExpired)]() mutable {
            self->m_timer.expires_at(self->deadline);
            self->m_timer.async_wait([self, onExpired = std::move(onExpired)](boost::system::error_code ec) mutable {
                if (!ec && !self->isCompleted()) onExpired(self);
            });
        });
    }

    // Runs the callback unless it already ran; true when this call completed the request.
    bool complete(Result<Response> result) {
        if (m_completed.exchange(true, std::memory_order_acq_rel)) return false;
        boost::asio::post(m_strand, [self = shared_from_this()] { self->m_timer.cancel(); });
        // `request` stays: a connection may be encoding it on another thread right now.
        ResponseCallback callback = std::move(m_callback);
        callback(std::move(result));
        return true;
    }

    // Completes on an engine thread (a caller's thread must never run callbacks).
    void completeLater(Error error) {
        boost::asio::post(m_strand, [self = shared_from_this(), error = std::move(error)]() mutable {
            self->complete(std::move(error));
        });
    }

private:
    boost::asio::strand<boost::asio::io_context::executor_type> m_strand;
    boost::asio::steady_timer m_timer;
    ResponseCallback m_callback;
    std::atomic<bool> m_completed{false};
};

}  // namespace partita::client::detail
