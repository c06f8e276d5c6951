public import Foundation

/// Where the scheduler keeps, per stored workflow, the last tick it acted on and the one it holds
/// back for `overlap: buffer_one`. Writes carry the leader's fencing token: a store refuses a
/// write older than one it has seen, so a scheduler that lost its lease cannot roll bookkeeping back.
/// Implementations: ``InMemoryScheduleTickStore``, SQLite (`lazyrabbit dev`), PostgreSQL (the
/// coordinator, migration 5).
public protocol ScheduleTickStore: Sendable {
    /// The bookkeeping of one workflow, or `nil` when its schedule never fired.
    func state(workflowID: String) async throws -> ScheduleTickState?

    /// Stores `state` unless a write with a larger fencing token came first; `false` when refused.
    func save(_ state: ScheduleTickState, workflowID: String, fencingToken: Int64) async throws -> Bool
}

/// The scheduler's bookkeeping for one workflow.
public struct ScheduleTickState: Sendable, Equatable, Codable {
    /// Every tick up to this one has been started, skipped or buffered.
    public var lastTick: Date
    /// A tick waiting for the running scheduled execution to finish (`overlap: buffer_one`).
    public var bufferedTick: Date?

    public init(lastTick: Date, bufferedTick: Date? = nil) {
        self.lastTick = lastTick
        self.bufferedTick = bufferedTick
    }
}
