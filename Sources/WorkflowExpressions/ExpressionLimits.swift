import WorkflowJSON

/// Bounds that keep hostile expressions cheap.
public struct ExpressionLimits: Sendable, Equatable {
    /// Longest source accepted, in characters.
    public var maxLength: Int
    /// Deepest nesting of the syntax tree.
    public var maxDepth: Int
    /// Evaluation steps (nodes visited, function work counted by size) before ``ExpressionError/Code/budgetExceeded``.
    public var stepBudget: Int
    /// Longest string (in UTF-8 bytes) or list (in elements) an expression may build.
    public var maxValueSize: Int

    /// Limits with the documented defaults, any of which can be overridden.
    public init(maxLength: Int = 4096, maxDepth: Int = 64, stepBudget: Int = 10_000, maxValueSize: Int = 1_000_000) {
        self.maxLength = maxLength
        self.maxDepth = maxDepth
        self.stepBudget = stepBudget
        self.maxValueSize = maxValueSize
    }

    /// 4096 characters, depth 64, 10 000 steps, values up to 1 000 000.
    public static let `default` = ExpressionLimits()
}

extension ExpressionLimits {
    /// `value` as compact JSON text, refused before any of it is written when the text would be
    /// longer than ``maxValueSize``: a list holding the same large value many times is cheap to
    /// build but not to write.
    func encode(_ value: JSONValue, at offset: Int) throws(ExpressionError) -> String {
        switch value.breach(of: ValueLimits(maxBytes: maxValueSize, maxDepth: JSONParser.maximumDepth)) {
        case nil:
            return value.encodedString()
        case .tooLarge:
            throw ExpressionError(code: .valueTooLarge, message: "the \(value.typeName) as text would be longer than the limit of \(maxValueSize)", offset: offset)
        case .tooDeep:
            throw ExpressionError(code: .valueTooLarge, message: "the \(value.typeName) nests deeper than \(JSONParser.maximumDepth) levels", offset: offset)
        }
    }
}
