public import Foundation

/// What a worker publishes after running a ``StateTask``: the outcome, who ran it, under which
/// lock. The coordinator applies it idempotently (matched by `taskID`), so a report published
/// twice — or for a task that was already retried or cancelled — changes nothing.
public struct TaskReport: Sendable, Codable, Equatable {
    public static let currentVersion = 1

    public var version: Int
    public var executionID: String
    public var taskID: String
    public var attempt: Int
    public var outcome: TaskOutcome
    /// The worker that ran the task (its heartbeat id).
    public var workerID: String
    /// The fencing token of the lock the worker held; the store refuses a token older than one it accepted.
    public var fencingToken: Int64?
    /// Epoch milliseconds when the callback started and ended.
    public var startedAt: Int64
    public var finishedAt: Int64

    private enum CodingKeys: String, CodingKey {
        case version, executionID = "execution_id", taskID = "task_id", attempt, outcome, workerID = "worker_id"
        case fencingToken = "fencing_token", startedAt = "started_at", finishedAt = "finished_at"
    }

    public init(executionID: String, taskID: String, attempt: Int, outcome: TaskOutcome, workerID: String, fencingToken: Int64?, startedAt: Date, finishedAt: Date) {
        self.version = Self.currentVersion
        self.executionID = executionID
        self.taskID = taskID
        self.attempt = attempt
        self.outcome = outcome
        self.workerID = workerID
        self.fencingToken = fencingToken
        self.startedAt = Int64((startedAt.timeIntervalSince1970 * 1000).rounded())
        self.finishedAt = Int64((finishedAt.timeIntervalSince1970 * 1000).rounded())
    }
}
