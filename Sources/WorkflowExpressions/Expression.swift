public import WorkflowJSON

/// A compiled expression of LazyRabbit's small, side-effect-free language (CEL-like).
///
/// Parse once, evaluate many times:
/// ```swift
/// let isGold = try Expression(parsing: "validation.tier == 'gold' && input.total > 100")
/// let result = try isGold.evaluate(in: scope)   // .bool(true)
/// ```
/// See `docs/expressions.md` for the language reference.
public struct Expression: Sendable {
    /// The text the expression was parsed from.
    public let source: String
    private let root: ExpressionNode
    private let roots: Set<String>

    /// Parses `source`; throws ``ExpressionError`` with the offset of the problem.
    ///
    /// Sources longer than `limits.maxLength` fail with ``ExpressionError/Code/tooLong`` before lexing;
    /// trees deeper than `limits.maxDepth` fail with ``ExpressionError/Code/tooDeep``.
    public init(parsing source: String, limits: ExpressionLimits = .default) throws(ExpressionError) {
        if source.utf8.count > limits.maxLength {
            let length = source.count
            guard length <= limits.maxLength else {
                throw ExpressionError(
                    code: .tooLong, message: "expression is \(length) characters long, more than the limit of \(limits.maxLength)",
                    offset: limits.maxLength)
            }
        }
        var lexer = Lexer(characters: Array(source))
        try self.init(source: source, tokens: try lexer.tokenize(), limits: limits)
    }

    /// Builds an expression from tokens already lexed (templates lex their `${...}` parts in place).
    init(source: String, tokens: [Token], limits: ExpressionLimits) throws(ExpressionError) {
        var parser = Parser(tokens: tokens, maxDepth: limits.maxDepth)
        self.source = source
        self.root = try parser.parse()
        self.roots = parser.roots
    }

    /// The root identifiers the expression reads (`input`, `context`, `item`, `secret`, or a bare context field).
    public var referencedRoots: Set<String> { roots }

    /// Evaluates against `scope`, spending at most `limits.stepBudget` steps (and no more than
    /// the current ``ExpressionAllowance`` has left).
    public func evaluate(in scope: EvaluationScope, limits: ExpressionLimits = .default) throws(ExpressionError) -> JSONValue {
        var evaluator = Evaluator(scope: scope, limits: limits)
        defer { evaluator.settle() }
        return try evaluator.evaluate(root)
    }

    /// The offset of the expression's outermost token (its top-level operator, call or value) in the text it was lexed from.
    var offset: Int { root.offset }

    /// The secret name when the expression is exactly `secret.NAME`.
    var secretName: String? {
        guard case .member(.variable("secret", _), let name, _) = root else { return nil }
        return name
    }
}
