/// Where an execution is in its life. Terminal: `completed`, `failed`, `cancelled`, `timedOut`.
public enum ExecutionStatus: String, Sendable, Codable, CaseIterable {
    case pending = "PENDING"
    case running = "RUNNING"
    /// A callback failed and the engine is retrying it (waiting out a backoff) or routing the error.
    case recovering = "RECOVERING"
    /// Waiting for a timer, an approval or a signal, with nothing running.
    case waiting = "WAITING"
    case paused = "PAUSED"
    case completed = "COMPLETED"
    case failed = "FAILED"
    case cancelled = "CANCELLED"
    case timedOut = "TIMED_OUT"

    /// `true` once nothing can change the execution any more.
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .cancelled, .timedOut: true
        default: false
        }
    }
}
