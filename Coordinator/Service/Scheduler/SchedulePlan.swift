public import Foundation
public import WorkflowDrivers
public import WorkflowDSL

/// What the scheduler does about one workflow in one pass, decided without I/O: which ticks start
/// executions now and the bookkeeping to save afterwards.
public struct SchedulePlan: Sendable, Equatable {
    /// Ticks to start, oldest first.
    public var start: [Date]
    /// The bookkeeping after the starts; `nil` when nothing changes.
    public var state: ScheduleTickState?

    public init(start: [Date], state: ScheduleTickState?) {
        self.start = start
        self.state = state
    }

    /// The plan for a workflow whose schedule `schedule` has `due` ticks (oldest first, at most
    /// ``WorkflowSchedule/catchUpLimit``) since `previous`, while `running` scheduled executions of
    /// it have not finished.
    ///
    /// - Ticks no older than `missedAfter` are on time and always considered; older ones were
    ///   missed (the scheduler was down) and follow `catch_up`: `none` drops them, `latest` keeps
    ///   the newest when no tick is on time, `all` keeps them all.
    /// - `overlap` then decides: `allow` starts everything; `skip` starts the oldest when nothing
    ///   runs and drops the rest; `buffer_one` starts the oldest when nothing runs, holds the next
    ///   one back (or the oldest, while a run is going) and drops the rest.
    public static func make(
        schedule: WorkflowSchedule, due: [Date], previous: ScheduleTickState?, running: Int, now: Date, missedAfter: TimeInterval
    ) -> SchedulePlan {
        let buffered = previous?.bufferedTick
        guard !due.isEmpty || buffered != nil else { return SchedulePlan(start: [], state: nil) }
        let onTime = due.filter { now.timeIntervalSince($0) <= missedAfter }
        let missed = due.filter { now.timeIntervalSince($0) > missedAfter }
        let selected: [Date] = switch schedule.catchUp {
        case .none: onTime
        case .latest: onTime.isEmpty ? Array(missed.suffix(1)) : onTime
        case .all: missed + onTime
        }
        let queue = (buffered.map { [$0] } ?? []) + selected
        var start: [Date] = []
        var holding: Date?
        switch schedule.overlap {
        case .allow:
            start = queue
        case .skip:
            if running == 0 { start = Array(queue.prefix(1)) }
        case .bufferOne:
            if running == 0 {
                start = Array(queue.prefix(1))
                holding = queue.dropFirst().first
            } else {
                holding = queue.first
            }
        }
        let lastTick = due.last ?? previous?.lastTick ?? now
        return SchedulePlan(start: start, state: ScheduleTickState(lastTick: lastTick, bufferedTick: holding))
    }
}
