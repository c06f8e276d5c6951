import Synchronization

/// The bound on callbacks running at once (``WorkerConfiguration/concurrency``): an async
/// counting semaphore whose permits are ``CallbackSlot`` values.
///
/// A task holds its slot while its callback runs, not while its report is published and its
/// delivery acknowledged: those round trips overlap the next task's callback, so a slot is busy
/// for the callback's time and no longer (the prefetch bounds the deliveries in flight).
final class CallbackSlots: Sendable {
    private struct State {
        var free: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    /// `count` slots, all free.
    init(count: Int) {
        precondition(count > 0, "at least one callback slot")
        state = Mutex(State(free: count))
    }

    /// Waits for a free slot and takes it.
    func acquire() async -> CallbackSlot {
        await withCheckedContinuation { continuation in
            let granted = state.withLock { state in
                guard state.free > 0 else {
                    state.waiters.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if granted { continuation.resume() }
        }
        return CallbackSlot(owner: self)
    }

    /// Hands a returned slot to the oldest waiter, or marks it free.
    fileprivate func giveBack() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume()
    }
}

/// One taken slot of ``CallbackSlots``; ``release()`` returns it, and only the first call counts
/// (a slot that is dropped unreleased returns itself).
final class CallbackSlot: Sendable {
    private let owner: CallbackSlots
    private let released = Atomic<Bool>(false)

    fileprivate init(owner: CallbackSlots) {
        self.owner = owner
    }

    deinit {
        release()
    }

    /// Returns the slot (idempotent).
    func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        owner.giveBack()
    }
}
