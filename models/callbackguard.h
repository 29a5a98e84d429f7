// CallbackGuard: lets callbacks on engine threads post work to a QObject on its own thread, and
// never after the object started to be destroyed.
#pragma once

#include <QMetaObject>

#include <memory>
#include <mutex>

namespace partita::models {

// The owner holds a CallbackGuard, gives engine callbacks its handle(), and calls detach() first
// thing in its destructor: from then on nothing more is posted (queued calls already posted are
// dropped by Qt with the object).
template <class T>
class CallbackGuard {
    struct State {
        std::mutex mutex;
        T* target = nullptr;
    };

public:
    // What an engine callback captures.
    class Handle {
    public:
        Handle() = default;  // posts nothing
        // Runs f(target) on the target's thread, later, unless the target is gone.
        template <class F>
        void post(F f) const {
            auto state = m_state.lock();
            if (!state) return;
            std::lock_guard lock(state->mutex);
            T* target = state->target;
            if (target == nullptr) return;
            QMetaObject::invokeMethod(
                target, [target, f = std::move(f)]() mutable { f(target); }, Qt::QueuedConnection);
        }

    private:
        friend class CallbackGuard;
        explicit Handle(std::weak_ptr<State> state) : m_state(std::move(state)) {}
        std::weak_ptr<State> m_state;
    };

    explicit CallbackGuard(T* target) : m_state(std::make_shared<State>()) { m_state->target = target; }
    ~CallbackGuard() { detach(); }
    CallbackGuard(const CallbackGuard&) = delete;
    CallbackGuard& operator=(const CallbackGuard&) = delete;

    Handle handle() const { return Handle(m_state); }
    void detach() {
        std::lock_guard lock(m_state->mutex);
        m_state->target = nullptr;
    }

private:
    std::shared_ptr<State> m_state;
};

}  // namespace partita::models
