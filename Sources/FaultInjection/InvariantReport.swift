/// What ``InvariantChecker`` found after a fault healed. Every count named "must be 0" is a broken
/// guarantee when it is not.
public struct InvariantReport: Sendable, Codable {
    /// Executions the client saw accepted.
    public var submitted = 0
    /// Of those, how many are stored and terminal.
    public var terminal = 0
    /// I1: accepted but missing from PostgreSQL, or not terminal (must be 0).
    public var lost: [String] = []
    /// I2: sequence gaps or repeats, a state entered twice for one visit, a task completed more
    /// often than entered, a transition after the terminal one (must be 0).
    public var duplicateTransitions: [String] = []
    /// I3: requests the effect sink saw more than once for one idempotency key (allowed: at least once on the wire).
    public var duplicateDeliveriesOnTheWire = 0
    /// I3: callbacks whose effect reached an execution more than once (must be 0).
    public var duplicateEffects: [String] = []
    /// I4: executions whose audit rows do not match their transitions one to one, or whose
    /// transitions do not end in their stored status (must be 0).
    public var auditMismatches: [String] = []
    /// I5: messages left in work queues and outbox rows older than 30 s not yet published (must be 0).
    public var strandedMessages = 0
    public var staleOutboxRows = 0
    /// I5: messages in dead-letter queues (only expected poison messages may be there).
    public var deadLettered = 0
    /// I6: task attempts for which more than one outcome was applied — what a stale lock holder's
    /// late report would cause (must be 0). Tokens of different tasks are not comparable (locks are
    /// per task id), so this is checked on the applied transitions rather than on token order.
    public var staleFenceAccepted = 0

    public init() {}

    /// Whether every guarantee held (`expectedDeadLetters` poison messages are allowed in the DLQ).
    public func holds(expectedDeadLetters: Int = 0) -> Bool {
        lost.isEmpty && duplicateTransitions.isEmpty && duplicateEffects.isEmpty && auditMismatches.isEmpty
            && strandedMessages == 0 && staleOutboxRows == 0 && deadLettered <= expectedDeadLetters && staleFenceAccepted == 0
    }
}
