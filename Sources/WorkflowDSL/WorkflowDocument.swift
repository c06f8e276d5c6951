/// The entry point for turning text into a checked ``WorkflowDefinition``.
public enum WorkflowDocument {
    /// The outcome of ``load(_:options:)``.
    public struct LoadResult: Sendable {
        /// The definition, when the document parsed (it may still have validation errors).
        public var definition: WorkflowDefinition?
        /// Every problem found, parse and validation alike, in document order.
        public var diagnostics: [Diagnostic]
        /// `true` when there is a definition and no diagnostic is an error.
        public var isValid: Bool { definition != nil && !diagnostics.contains { $0.severity == .error } }
    }

    /// Parses YAML or JSON text and validates it, reporting every problem at once.
    /// Documents larger than ``ValidationLimits/maxDocumentBytes`` are refused before parsing.
    public static func load(_ source: String, options: ValidationOptions = .init()) -> LoadResult {
        if let tooLarge = sizeCheck(source, limits: options.limits) { return LoadResult(definition: nil, diagnostics: [tooLarge]) }
        let parsed = WorkflowParser.parseDocument(source)
        guard let definition = parsed.definition else { return LoadResult(definition: nil, diagnostics: sorted(parsed.diagnostics)) }
        let findings = WorkflowValidator.validate(definition, options: options, sourceMap: parsed.sourceMap, brokenStates: parsed.brokenStates)
        return LoadResult(definition: definition, diagnostics: sorted(parsed.diagnostics + findings))
    }

    /// Parses YAML or JSON text without validating it (shape errors only), e.g. for editors and translators
    /// that repair a document step by step. Size limits still apply.
    public static func parse(_ source: String, limits: ValidationLimits = .init()) -> LoadResult {
        if let tooLarge = sizeCheck(source, limits: limits) { return LoadResult(definition: nil, diagnostics: [tooLarge]) }
        let parsed = WorkflowParser.parseDocument(source)
        return LoadResult(definition: parsed.definition, diagnostics: sorted(parsed.diagnostics))
    }

    private static func sizeCheck(_ source: String, limits: ValidationLimits) -> Diagnostic? {
        let bytes = source.utf8.count
        guard bytes > limits.maxDocumentBytes else { return nil }
        return Diagnostic(
            code: "document_too_large", message: "the document is \(bytes) bytes; the limit is \(limits.maxDocumentBytes) (maxDocumentBytes)",
            path: "", hint: "split the workflow into child workflows, or raise ValidationLimits.maxDocumentBytes")
    }

    /// Document order: by line and column; diagnostics without a position last, in the order found.
    private static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.line ?? Int.max, lhs.element.column ?? 0, lhs.offset)
            let right = (rhs.element.line ?? Int.max, rhs.element.column ?? 0, rhs.offset)
            return left < right
        }.map(\.element)
    }
}

/// Settings for validation.
public struct ValidationOptions: Sendable {
    public var limits: ValidationLimits
    public var addressPolicy: AddressPolicy
    /// The models `llm` callbacks may name; `nil`: any.
    public var allowedModels: Set<String>?
    /// Whether the rules added after definitions were first stored apply — a handler's `queue` must
    /// be a ``TaskQueueName``, a `timeout` cannot be 0: on where a definition is stored, off for
    /// running one stored before them (``forRunning``).
    public var checksRulesForStoring = true

    public init(limits: ValidationLimits = .init(), addressPolicy: AddressPolicy = .init(), allowedModels: Set<String>? = nil) {
        self.limits = limits
        self.addressPolicy = addressPolicy
        self.allowedModels = allowedModels
    }
}

extension ValidationOptions {
    /// These options without the checks that matter only when a definition is stored — how often
    /// its `schedule` may fire, which only the scheduler cares about, the models it may name,
    /// which workers check again when they call one, and the rules added since definitions were
    /// first stored (``checksRulesForStoring``): for running a definition (starting, retrying or reloading
    /// an execution, a child workflow), which must not depend on a limit an operator changed, or a
    /// rule added, since it was stored.
    public var forRunning: ValidationOptions {
        var options = self
        options.limits.minScheduleIntervalSeconds = 0
        options.allowedModels = nil
        options.checksRulesForStoring = false
        return options
    }
}

/// Size limits on a workflow document; defaults are documented in docs/dsl.md.
public struct ValidationLimits: Sendable, Equatable {
    public var maxStates: Int
    public var maxNestingDepth: Int
    public var maxDocumentBytes: Int
    public var maxExpressionLength: Int
    /// The shortest time a `schedule` may leave between two ticks, in seconds (``CronExpression/shortestInterval``).
    public var minScheduleIntervalSeconds: Int

    public init(
        maxStates: Int = 500, maxNestingDepth: Int = 8, maxDocumentBytes: Int = 1_048_576, maxExpressionLength: Int = 4096,
        minScheduleIntervalSeconds: Int = 10
    ) {
        self.maxStates = maxStates
        self.maxNestingDepth = maxNestingDepth
        self.maxDocumentBytes = maxDocumentBytes
        self.maxExpressionLength = maxExpressionLength
        self.minScheduleIntervalSeconds = minScheduleIntervalSeconds
    }
}
