import Foundation

/// What one fault run measured and whether every guarantee held.
public struct FaultResult: Sendable, Encodable {
    public var fault: Fault
    /// Executions the API accepted (201) / attempts it refused while the fault lasted.
    public var submitted = 0
    public var refusedSubmissions = 0
    /// Of the accepted ones: terminal, and of those FAILED (callbacks that ran out of retries).
    public var terminal = 0
    public var failed = 0
    /// Callback requests the effect sink answered.
    public var sinkRequests = 0
    /// Worker log lines: tasks deferred because their lock was held, and late duplicates acked unrun.
    public var lockRefusals = 0
    public var lateDuplicatesAcked = 0
    /// Seconds from the heal to the first execution finishing after it, and to the last one.
    public var timeToRecoverSeconds: Double?
    public var backlogDrainSeconds: Double?
    /// Wall time of the whole run.
    public var wallSeconds = 0.0
    /// I1–I6 as ``InvariantChecker`` found them (`nil` when the run broke before the check).
    public var invariants: InvariantReport?
    public var expectedDeadLetters = 0
    /// Processes that died although the fault did not kill them.
    public var unexpectedExits: [String] = []
    /// Why the run itself broke (a process that would not start, a timeout), if it did.
    public var error: String?
    /// Where the processes' logs are.
    public var logDirectory = ""

    /// Whether the fault passed (also written to JSON).
    public var passed: Bool { verdict }

    private enum CodingKeys: String, CodingKey {
        case fault, submitted, refusedSubmissions, terminal, failed, sinkRequests, lockRefusals, lateDuplicatesAcked
        case timeToRecoverSeconds, backlogDrainSeconds, wallSeconds, invariants, expectedDeadLetters, unexpectedExits, error
        case logDirectory, passed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(fault, forKey: .fault)
        try container.encode(submitted, forKey: .submitted)
        try container.encode(refusedSubmissions, forKey: .refusedSubmissions)
        try container.encode(terminal, forKey: .terminal)
        try container.encode(failed, forKey: .failed)
        try container.encode(sinkRequests, forKey: .sinkRequests)
        try container.encode(lockRefusals, forKey: .lockRefusals)
        try container.encode(lateDuplicatesAcked, forKey: .lateDuplicatesAcked)
        try container.encodeIfPresent(timeToRecoverSeconds, forKey: .timeToRecoverSeconds)
        try container.encodeIfPresent(backlogDrainSeconds, forKey: .backlogDrainSeconds)
        try container.encode(wallSeconds, forKey: .wallSeconds)
        try container.encodeIfPresent(invariants, forKey: .invariants)
        try container.encode(expectedDeadLetters, forKey: .expectedDeadLetters)
        try container.encode(unexpectedExits, forKey: .unexpectedExits)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(logDirectory, forKey: .logDirectory)
        try container.encode(passed, forKey: .passed)
    }

    private var verdict: Bool {
        guard error == nil, unexpectedExits.isEmpty, let invariants else { return false }
        return invariants.holds(expectedDeadLetters: expectedDeadLetters) && invariants.deadLettered == expectedDeadLetters
    }

    /// The report block printed for this fault.
    public var text: String {
        let report = invariants ?? InvariantReport()
        func seconds(_ value: Double?) -> String { value.map { String(format: "%.1f s", $0) } ?? "-" }
        var lines = [
            "== \(fault.rawValue): \(fault.summary)",
            "   executions submitted / terminal   \(submitted) / \(terminal)   (refused while faulty: \(refusedSubmissions), failed: \(failed))",
            "   lost (must be 0)                  \(report.lost.count)",
            "   duplicate transitions (must be 0) \(report.duplicateTransitions.count + report.duplicateEffects.count)",
            "   raw duplicate deliveries (sink)   \(report.duplicateDeliveriesOnTheWire) of \(sinkRequests) requests",
            "   dead-lettered                     \(report.deadLettered) (expected \(expectedDeadLetters))",
            "   stale-fence rejections            \(report.staleFenceAccepted) applied twice; \(lockRefusals) lock refusals, \(lateDuplicatesAcked) late duplicates acked",
            "   audit mismatches / stranded       \(report.auditMismatches.count) / \(report.strandedMessages) messages, \(report.staleOutboxRows) outbox rows",
            "   time to recover / backlog drain   \(seconds(timeToRecoverSeconds)) / \(seconds(backlogDrainSeconds))   (run \(seconds(wallSeconds)))",
        ]
        for problem in (report.lost + report.duplicateTransitions + report.duplicateEffects + report.auditMismatches).prefix(10) {
            lines.append("   ! \(problem)")
        }
        for name in unexpectedExits { lines.append("   ! \(name) exited although the fault did not stop it") }
        if let error { lines.append("   ! \(error)") }
        lines.append("   \(passed ? "PASS" : "FAIL")   (logs: \(logDirectory))")
        return lines.joined(separator: "\n")
    }
}
