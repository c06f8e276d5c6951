/// Why an expression could not be parsed or evaluated.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem, stable for programs to switch on.
    public enum Code: String, Sendable {
        /// Malformed text: unexpected token, unclosed string or `${`.
        case syntax
        /// The source is longer than ``ExpressionLimits/maxLength``.
        case tooLong
        /// The syntax tree is deeper than ``ExpressionLimits/maxDepth``.
        case tooDeep
        /// An operator or function got a value of the wrong type.
        case type
        /// A call names a function that does not exist.
        case unknownFunction
        /// An identifier is neither a root variable nor resolvable through the fallback root.
        case unknownVariable
        /// A function got the wrong number of arguments.
        case arity
        /// Division or remainder by zero.
        case divisionByZero
        /// Evaluation needed more than ``ExpressionLimits/stepBudget`` steps.
        case budgetExceeded
        /// A built value (or a number) would exceed its limit.
        case valueTooLarge
        /// A `matches` pattern does not compile or is too long.
        case invalidRegex
        /// `int(...)` or `double(...)` could not convert its argument.
        case conversion
    }

    /// The kind of problem.
    public var code: Code
    /// What went wrong, phrased for the workflow author.
    public var message: String
    /// Character offset in the source where the problem is (0-based).
    public var offset: Int

    /// An error of `code` at `offset`.
    public init(code: Code, message: String, offset: Int) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    /// The message and the 1-based character position.
    public var description: String { "\(message) (at character \(offset + 1))" }
}
