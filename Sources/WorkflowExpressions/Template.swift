public import WorkflowJSON

// INTERFACE STUB — the expressions helper implements these; keep the signatures.

/// A string with `${...}` expressions in it.
///
/// A template that is exactly one `${expr}` renders to the expression's value with its type;
/// anything else renders to a string with each value interpolated.
public struct Template: Sendable {
    public let source: String

    public init(parsing source: String, limits: ExpressionLimits = .default) throws(ExpressionError) {
        self.source = source
        throw ExpressionError(code: .syntax, message: "templates are not implemented yet", offset: 0)
    }

    /// `true` when the string contains no `${`.
    public static func isPlain(_ text: String) -> Bool { !text.contains("${") }

    /// The NAMEs of `${secret.NAME}` parts of `text`.
    public static func secretReferences(in text: String) -> [String] { [] }

    /// The expressions inside, in order.
    public var expressions: [Expression] { [] }

    /// Renders against `scope`. With `preservingSecrets`, `${secret.NAME}` parts stay as written
    /// (workers substitute them at call time, so secrets never enter a context or a log).
    public func render(in scope: EvaluationScope, preservingSecrets: Bool = true, limits: ExpressionLimits = .default) throws(ExpressionError) -> JSONValue {
        throw ExpressionError(code: .syntax, message: "templates are not implemented yet", offset: 0)
    }

    /// Renders every string inside `value` (object members, list elements) as a template.
    public static func renderValue(_ value: JSONValue, in scope: EvaluationScope, preservingSecrets: Bool = true, limits: ExpressionLimits = .default) throws(ExpressionError) -> JSONValue {
        throw ExpressionError(code: .syntax, message: "templates are not implemented yet", offset: 0)
    }
}
