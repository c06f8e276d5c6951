// INTERFACE STUB — the DSL helper implements parsing and validation behind this entry point; keep the signatures.

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
    public static func load(_ source: String, options: ValidationOptions = .init()) -> LoadResult {
        LoadResult(definition: nil, diagnostics: [Diagnostic(code: "not_implemented", message: "the parser is not implemented yet", path: "")])
    }
}

/// Settings for validation.
public struct ValidationOptions: Sendable {
    public var limits: ValidationLimits
    public var addressPolicy: AddressPolicy

    public init(limits: ValidationLimits = .init(), addressPolicy: AddressPolicy = .init()) {
        self.limits = limits
        self.addressPolicy = addressPolicy
    }
}

/// Size limits on a workflow document; defaults are documented in docs/dsl.md.
public struct ValidationLimits: Sendable, Equatable {
    public var maxStates: Int
    public var maxNestingDepth: Int
    public var maxDocumentBytes: Int
    public var maxExpressionLength: Int

    public init(maxStates: Int = 500, maxNestingDepth: Int = 8, maxDocumentBytes: Int = 1_048_576, maxExpressionLength: Int = 4096) {
        self.maxStates = maxStates
        self.maxNestingDepth = maxNestingDepth
        self.maxDocumentBytes = maxDocumentBytes
        self.maxExpressionLength = maxExpressionLength
    }
}
