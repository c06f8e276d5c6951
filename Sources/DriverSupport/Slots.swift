import Synchronization

/// A bound on work running at once: an async counting semaphore whose permits are ``Slot``
/// values. A worker bounds its running callbacks with it, the coordinator the reports it applies
/// at once.
///
/// ```swift
/// let slots = Slots(count: 16)
/// let slot = await slots.acquire()
/// defer { slot.release() }
/// ```
public final class Slots: Sendable {
    private struct State {
        var free: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    /// `count` slots, all free.
    public init(count: Int) {
        precondition(count > 0, "at least one slot")
        state = Mutex(State(free: count))
    }

    /// Waits for a free slot and takes it.
    public func acquire() async -> Slot {
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
        return Slot(owner: self)
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

/// One taken slot of ``Slots``; ``release()`` returns it, and only the first call counts (a slot
/// that is dropped unreleased returns itself).
public final class Slot: Sendable {
    private let owner: Slots
    private let released = Atomic<Bool>(false)

    fileprivate init(owner: Slots) {
        self.owner = owner
    }

    deinit {
        release()
    }

    /// Returns the slot (idempotent).
    public func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        owner.giveBack()
    }
}
