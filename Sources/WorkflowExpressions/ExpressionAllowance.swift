import Synchronization

/// What every expression evaluated inside ``spending(_:)`` may use together: evaluation steps
/// and time in `matches()`. Each evaluation keeps its own ``ExpressionLimits/stepBudget`` and
/// ``RegexMatcher/timeAllowance``, and also draws on this pool, so that many evaluations in one
/// go — a map starting a thousand iterations whose first state is a choice with a regular
/// expression — cannot add up to seconds of work. The workflow engine opens one per engine step
/// (docs/engine.md, "Limits"); outside one, only the per-evaluation limits apply. One pool serves
/// one sequence of evaluations: evaluations running at the same time could each take what is left.
///
/// ```swift
/// let result = ExpressionAllowance().spending { try expression.evaluate(in: scope) }
/// ```
public final class ExpressionAllowance: Sendable {
    /// The pool the evaluations of the current task draw on, if any.
    @TaskLocal static var current: ExpressionAllowance?

    /// Steps all evaluations of one engine step may take together by default: a hundred full
    /// per-evaluation budgets.
    public static let defaultSteps = 1_000_000
    /// Time all `matches()` calls of one engine step may take together by default.
    public static let defaultRegexTime: Duration = .seconds(1)

    /// The pool's size, for messages.
    let steps: Int
    let regexTime: Duration
    private let stepsLeft: Atomic<Int>
    private let regexNanosecondsLeft: Atomic<Int64>

    /// A pool of `steps` evaluation steps and `regexTime` in regular expressions.
    public init(steps: Int = defaultSteps, regexTime: Duration = defaultRegexTime) {
        self.steps = steps
        self.regexTime = regexTime
        stepsLeft = Atomic(steps)
        regexNanosecondsLeft = Atomic(Self.nanoseconds(regexTime))
    }

    /// Runs `body` with every expression evaluated in it drawing on this pool.
    public func spending<Result>(_ body: () throws -> Result) rethrows -> Result {
        try Self.$current.withValue(self, operation: body)
    }

    /// Steps left in the pool.
    var remainingSteps: Int { stepsLeft.load(ordering: .relaxed) }

    /// Regular-expression time left in the pool.
    var remainingRegexTime: Duration { .nanoseconds(regexNanosecondsLeft.load(ordering: .relaxed)) }

    /// Takes what one evaluation used out of the pool.
    func spend(steps: Int, regexTime: Duration) {
        if steps > 0 { stepsLeft.subtract(steps, ordering: .relaxed) }
        let nanoseconds = Self.nanoseconds(regexTime)
        if nanoseconds > 0 { regexNanosecondsLeft.subtract(nanoseconds, ordering: .relaxed) }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
