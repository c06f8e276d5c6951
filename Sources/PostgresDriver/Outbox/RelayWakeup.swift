public import Foundation
import Synchronization

/// Tells an idle ``OutboxRelay`` when to look again: whoever just committed outbox rows in this
/// process calls ``wake()`` (rows due now) or ``wake(at:)`` (rows due later, such as a timer), and
/// the relay polls then instead of at the end of its idle wait. Rows committed by other processes
/// are still found by the relay's own polls. One relay per wakeup: it holds one waiter at a time.
public final class RelayWakeup: Sendable {
    private struct State {
        /// The earliest time a row staged since the last wait ended comes due.
        var earliest: ContinuousClock.Instant?
        /// The wait in progress and the instant it ends.
        var waiter: CheckedContinuation<Void, Never>?
        var target: ContinuousClock.Instant?
        /// The wait in progress reached its end before its waiter was registered.
        var expired = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Asks the relay to poll now (cheap).
    public func wake() {
        wake(at: .now)
    }

    /// Asks the relay to poll once `date` has come (at once if it has): a row due then was
    /// committed. A later date than the current wait's end changes nothing.
    public func wake(at date: Date) {
        let instant = ContinuousClock.now + .seconds(max(0, date.timeIntervalSinceNow))
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.earliest = min(state.earliest ?? instant, instant)
            guard let target = state.target, instant < target else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// `true` when a date asked for since the last wait has come: the next wait returns at once.
    var isPending: Bool {
        state.withLock { $0.earliest.map { $0 <= .now } ?? false }
    }

    /// Waits until `timeout` has passed or the earliest date asked for by ``wake(at:)`` since the
    /// last wait has come, whichever is first; returns at once if that date has already come, or
    /// when the task is cancelled.
    func wait(timeout: Duration) async {
        let end = ContinuousClock.now + timeout
        while !Task.isCancelled {
            let target = state.withLock { min(end, $0.earliest ?? end) }
            guard target > .now else { break }
            await sleep(until: target)
        }
        state.withLock { $0.earliest = nil }
    }

    /// Sleeps until `target`, or less when ``wake(at:)`` asks for an earlier time (or cancellation).
    private func sleep(until target: ContinuousClock.Instant) async {
        state.withLock { $0.expired = false }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let resumeNow = self.state.withLock { state -> Bool in
                        if state.expired || (state.earliest.map { $0 < target } ?? false) { return true }
                        state.waiter = continuation
                        state.target = target
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(until: target, clock: .continuous)
                let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
                    state.expired = true
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume()
            }
            await group.next()
            group.cancelAll()
        }
        state.withLock { state in
            state.waiter = nil
            state.target = nil
        }
    }
}
