import Foundation
import Synchronization

/// Durable timers for one process: the engine keeps timers in each execution's snapshot, and this
/// service fires them. After a restart, ``ExecutionCoordinator/resume(_:)`` sets them again.
///
/// One loop owns all timers (no task per timer); it wakes at the earliest due time, at most
/// ``tick`` apart, so timers added meanwhile are noticed.
final class TimerService: Sendable {
    private struct Key: Hashable {
        var executionID: String
        var timerID: String
    }

    /// The longest the loop sleeps before looking again.
    let tick: Duration
    private let timers = Mutex<[Key: Date]>([:])
    private let fire: @Sendable (_ executionID: String, _ timerID: String) -> Void

    init(tick: Duration = .milliseconds(10), fire: @escaping @Sendable (_ executionID: String, _ timerID: String) -> Void) {
        self.tick = tick
        self.fire = fire
    }

    func schedule(executionID: String, timerID: String, at date: Date) {
        timers.withLock { $0[Key(executionID: executionID, timerID: timerID)] = date }
    }

    func cancel(executionID: String, timerID: String) {
        timers.withLock { $0[Key(executionID: executionID, timerID: timerID)] = nil }
    }

    /// Fires due timers until the surrounding task is cancelled.
    func run() async {
        while !Task.isCancelled {
            let now = Date()
            let due = timers.withLock { timers -> [Key] in
                let due = timers.filter { $0.value <= now }.sorted { $0.value < $1.value }.map(\.key)
                for key in due { timers[key] = nil }
                return due
            }
            for key in due { fire(key.executionID, key.timerID) }
            let earliest = timers.withLock { $0.values.min() }
            var sleep = tick
            if let earliest {
                sleep = min(tick, .milliseconds(max(0, Int64(earliest.timeIntervalSince(Date()) * 1000))))
            }
            try? await Task.sleep(for: max(sleep, .milliseconds(1)))
        }
    }
}
