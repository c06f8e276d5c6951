public import WorkflowJSON
public import Foundation

// INTERFACE STUB — the expressions helper replaces the bodies (and adds files); keep these signatures.

/// A compiled expression of LazyRabbit's small, side-effect-free language (CEL-like).
public struct Expression: Sendable {
    /// The text the expression was parsed from.
    public let source: String

    /// Parses `source`; throws ``ExpressionError`` with the offset of the problem.
    public init(parsing source: String, limits: ExpressionLimits = .default) throws(ExpressionError) {
        self.source = source
        throw ExpressionError(code: .syntax, message: "expressions are not implemented yet", offset: 0)
    }

    /// The root identifiers the expression reads (`input`, `context`, `item`, `secret`, or a bare context field).
    public var referencedRoots: Set<String> { [] }

    /// Evaluates against `scope`, spending at most `limits.stepBudget` steps.
    public func evaluate(in scope: EvaluationScope, limits: ExpressionLimits = .default) throws(ExpressionError) -> JSONValue {
        throw ExpressionError(code: .syntax, message: "expressions are not implemented yet", offset: 0)
    }
}

/// What an expression can see.
public struct EvaluationScope: Sendable {
    /// Root variables: `input`, `context`, and inside map iterations `item` and `index`.
    public var variables: [String: JSONValue]
    /// An identifier that is not a root variable is looked up in this root (`validation.tier` means `context.validation.tier`).
    public var fallbackRoot: String?
    /// What `now()` returns; the engine passes the event's time so evaluation stays deterministic.
    public var now: Date

    public init(variables: [String: JSONValue], fallbackRoot: String? = "context", now: Date) {
        self.variables = variables
        self.fallbackRoot = fallbackRoot
        self.now = now
    }
}

/// Bounds that keep hostile expressions cheap.
public struct ExpressionLimits: Sendable, Equatable {
    /// Longest source accepted, in characters.
    public var maxLength: Int
    /// Deepest nesting of the syntax tree.
    public var maxDepth: Int
    /// Evaluation steps (nodes visited, function work counted by size) before ``ExpressionError/Code/budgetExceeded``.
    public var stepBudget: Int
    /// Longest string or list an expression may build.
    public var maxValueSize: Int

    public init(maxLength: Int = 4096, maxDepth: Int = 64, stepBudget: Int = 10_000, maxValueSize: Int = 1_000_000) {
        self.maxLength = maxLength
        self.maxDepth = maxDepth
        self.stepBudget = stepBudget
        self.maxValueSize = maxValueSize
    }

    public static let `default` = ExpressionLimits()
}

/// Why an expression could not be parsed or evaluated.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case syntax, tooLong, tooDeep, type, unknownFunction, unknownVariable, arity, divisionByZero,
            budgetExceeded, valueTooLarge, invalidRegex, conversion
    }

    public var code: Code
    public var message: String
    /// Character offset in the source where the problem is (0-based).
    public var offset: Int

    public init(code: Code, message: String, offset: Int) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at character \(offset + 1))" }
}
