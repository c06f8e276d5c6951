public import WorkflowExpressions
public import WorkflowJSON
public import WorkflowProtocol

/// Bounds that keep one execution's snapshot writable and its steps cheap, whatever its
/// workflow and data do (docs/engine.md, "Limits").
public struct ExecutionLimits: Sendable, Equatable {
    /// Every value the engine stores: a thread's context, a state's result, a rendered callback,
    /// the items of a map. Breaking it fails the state with `value_too_large` or `value_too_deep`.
    public var value: ValueLimits
    /// Everything an execution holds at once (its input, every thread's context, joined results,
    /// pending callbacks, buffered signals), in bytes. Breaking it fails the execution with
    /// `execution_too_large`.
    public var instanceBytes: Int
    /// How many threads a map state starts while the execution already has this many (each
    /// copies its parent's context); a map always runs at least one iteration at a time.
    public var liveThreads: Int
    /// Evaluation steps all the expressions of one engine step may take together (each also keeps
    /// its own `ExpressionLimits.stepBudget`). Past it, an expression fails with `expression_error`.
    public var expressionStepsPerStep: Int
    /// Time all the `matches()` calls of one engine step may take together.
    public var regexTimePerStep: Duration
    /// Map iterations one engine step starts at most; the rest start in later steps (an immediate timer).
    public var mapStartsPerStep: Int

    public init(
        value: ValueLimits = .storable, instanceBytes: Int = 64 << 20, liveThreads: Int = 1000,
        expressionStepsPerStep: Int = ExpressionAllowance.defaultSteps, regexTimePerStep: Duration = ExpressionAllowance.defaultRegexTime,
        mapStartsPerStep: Int = 5000
    ) {
        self.value = value
        self.instanceBytes = instanceBytes
        self.liveThreads = liveThreads
        self.expressionStepsPerStep = expressionStepsPerStep
        self.regexTimePerStep = regexTimePerStep
        self.mapStartsPerStep = max(1, mapStartsPerStep)
    }

    /// A fresh pool for one engine step's expressions.
    func expressionAllowance() -> ExpressionAllowance {
        ExpressionAllowance(steps: expressionStepsPerStep, regexTime: regexTimePerStep)
    }

    /// Values up to 16 MiB and 128 levels deep, 64 MiB per execution, 1000 live threads, a million
    /// expression steps and a second in regular expressions per engine step.
    public static let `default` = ExecutionLimits()
}
