public import Foundation

/// What a worker publishes after running a ``StateTask``: the outcome, who ran it, under which
/// lock. The coordinator applies it idempotently (matched by `taskID`), so a report published
/// twice — or for a task that was already retried or cancelled — changes nothing.
///
/// A report whose encoded outcome is too large for a message carries `outcome_ref` (version 2):
/// the outcome JSON is in the payload store under that reference, and `outcome` is the
/// ``placeholderOutcome`` (docs/protocol.md, "Large payloads").
public struct TaskReport: Sendable, Codable, Equatable {
    /// The highest version this build reads (2: `outcome_ref`).
    public static let currentVersion = 2
    /// The version of a report carrying its outcome, which is what this build writes unless the
    /// outcome is stored by reference; older coordinators keep reading these.
    public static let inlineVersion = 1
    /// The version of a report whose outcome is stored by reference.
    public static let referenceVersion = 2
    /// What `outcome` says in a report whose outcome is stored by reference.
    public static let placeholderOutcome = TaskOutcome.failed(TaskFailure(
        errorClass: "payload_by_reference", message: "the outcome is stored in the payload store under outcome_ref"))

    public var version: Int
    public var executionID: String
    public var taskID: String
    public var attempt: Int
    public var outcome: TaskOutcome
    /// Where the outcome JSON is stored when it was too large to carry (`sha256:<hex>`), else `nil`.
    public var outcomeRef: String?
    /// The worker that ran the task (its heartbeat id).
    public var workerID: String
    /// The fencing token of the lock the worker held; the store refuses a token older than one it accepted.
    public var fencingToken: Int64?
    /// Epoch milliseconds when the callback started and ended.
    public var startedAt: Int64
    public var finishedAt: Int64

    private enum CodingKeys: String, CodingKey {
        case version, executionID = "execution_id", taskID = "task_id", attempt, outcome, outcomeRef = "outcome_ref", workerID = "worker_id"
        case fencingToken = "fencing_token", startedAt = "started_at", finishedAt = "finished_at"
    }

    public init(executionID: String, taskID: String, attempt: Int, outcome: TaskOutcome, workerID: String, fencingToken: Int64?, startedAt: Date, finishedAt: Date) {
        self.version = Self.inlineVersion
        self.executionID = executionID
        self.taskID = taskID
        self.attempt = attempt
        self.outcome = outcome
        self.workerID = workerID
        self.fencingToken = fencingToken
        self.startedAt = Int64((startedAt.timeIntervalSince1970 * 1000).rounded())
        self.finishedAt = Int64((finishedAt.timeIntervalSince1970 * 1000).rounded())
    }

    /// This report with its outcome replaced by `reference` to where the outcome JSON is stored.
    public func byReference(_ reference: String) -> TaskReport {
        var report = self
        report.version = Self.referenceVersion
        report.outcome = Self.placeholderOutcome
        report.outcomeRef = reference
        return report
    }
}
