import Synchronization

/// Cuts an ``OutboxRelay``'s idle wait short: whoever just committed outbox rows in this process
/// calls ``wake()``, and the relay polls at once instead of after its idle delay. Rows committed
/// by other processes are still found by the regular poll.
public final class RelayWakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    /// Asks the relay to poll now (cheap; wakes it at most once per wait).
    public func wake() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Waits until ``wake()`` is called or `timeout` passes; returns at once if a wake came since the last wait.
    func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let ready = self.state.withLock { state -> Bool in
                        if state.pending {
                            state.pending = false
                            return true
                        }
                        state.waiter = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.wake()
            }
            await group.next()
            group.cancelAll()
        }
        state.withLock { $0.pending = false }
    }
}
