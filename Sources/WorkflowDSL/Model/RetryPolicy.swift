/// How a failed attempt is retried.
public struct RetryPolicy: Sendable, Codable, Equatable {
    /// How the delay grows between attempts.
    public enum Backoff: String, Sendable, Codable, CaseIterable {
        case fixed, exponential
    }

    /// Attempts in all, the first included (1 means no retry).
    public var maxAttempts: Int
    public var backoff: Backoff
    /// The delay before the second attempt.
    public var initial: WorkflowDuration
    /// The longest delay.
    public var max: WorkflowDuration
    /// Growth factor for exponential backoff.
    public var multiplier: Double
    /// Spread delays randomly over [50%, 100%] of their value so retries of many executions don't align.
    public var jitter: Bool
    /// Error classes that are never retried (`http_4xx`, `validation_failed`, ...).
    public var nonRetryable: [String]

    public init(
        maxAttempts: Int, backoff: Backoff = .exponential, initial: WorkflowDuration = .seconds(1),
        max: WorkflowDuration = .seconds(30), multiplier: Double = 2, jitter: Bool = true, nonRetryable: [String] = []
    ) {
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.initial = initial
        self.max = max
        self.multiplier = multiplier
        self.jitter = jitter
        self.nonRetryable = nonRetryable
    }

    /// The policy `on_error: { strategy: auto }` gives states that have none: 3 attempts, 1 s doubling to 30 s.
    public static let automatic = RetryPolicy(maxAttempts: 3)

    /// Error classes no policy retries: retrying cannot help them.
    public static let neverRetried: Set<String> = [
        "blocked_address", "handler_not_found", "llm_unavailable", "llm_rejected", "llm_model_not_allowed", "invalid_callback", "secret_missing",
        "expression_error", "cancelled", "secret_in_data", "value_too_large", "value_too_deep", "child_depth_exceeded",
        "child_limit_exceeded",
    ]

    /// `true` when an error of `errorClass` after attempt number `attempt` (1-based) gets another attempt.
    public func allowsRetry(after attempt: Int, errorClass: String) -> Bool {
        attempt < maxAttempts && !nonRetryable.contains(errorClass) && !Self.neverRetried.contains(errorClass)
    }

    /// The delay before attempt `attempt + 1`, with `jitterFraction` in [0, 1) picking where in the
    /// jitter range it falls (the engine derives it from the task id, so replays agree). Never
    /// longer than `max`, whatever the multiplier (the validator refuses a multiplier that is not
    /// finite; a policy built in code may still hold one).
    public func delay(after attempt: Int, jitterFraction: Double) -> WorkflowDuration {
        var milliseconds = Double(initial.milliseconds)
        if backoff == .exponential {
            milliseconds *= Foundation_pow(multiplier, Double(Swift.max(0, attempt - 1)))
        }
        milliseconds = milliseconds.isNaN ? Double(max.milliseconds) : Swift.min(milliseconds, Double(max.milliseconds))
        if jitter {
            milliseconds *= 0.5 + 0.5 * jitterFraction
        }
        return WorkflowDuration(milliseconds: Int64(milliseconds.rounded()))
    }
}

/// `pow` without importing Foundation into every file that uses retry policies.
private func Foundation_pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var remaining = Int(exponent)
    while remaining > 0 && result < 1e12 {
        result *= base
        remaining -= 1
    }
    return result
}
