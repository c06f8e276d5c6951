import WorkflowJSON

/// A recursive-descent parser that checks nesting as it goes, so hostile input cannot overflow the stack.
struct Parser {
    /// A parsed subtree and its depth.
    private struct Parsed {
        var node: ExpressionNode
        var depth: Int
    }

    private let tokens: [Token]
    private let maxDepth: Int
    private var position = 0
    private var nesting = 0
    /// Root identifiers seen while parsing.
    private(set) var roots: Set<String> = []

    init(tokens: [Token], maxDepth: Int) {
        self.tokens = tokens
        self.maxDepth = maxDepth
    }

    /// Parses the whole token list into one expression.
    mutating func parse() throws(ExpressionError) -> ExpressionNode {
        let parsed = try ternary()
        guard case .end = current.kind else {
            throw ExpressionError(code: .syntax, message: "unexpected \(current.kind.display) after the expression", offset: current.offset)
        }
        return parsed.node
    }

    private var current: Token { tokens[position] }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private mutating func accept(_ symbol: Symbol) -> Token? {
        guard case .symbol(symbol) = current.kind else { return nil }
        return advance()
    }

    private mutating func expect(_ symbol: Symbol, _ context: String) throws(ExpressionError) {
        guard accept(symbol) == nil else { return }
        throw ExpressionError(
            code: .syntax, message: "expected `\(symbol.rawValue)` \(context), found \(current.kind.display)", offset: current.offset)
    }

    private func node(_ node: ExpressionNode, children: [Parsed], offset: Int) throws(ExpressionError) -> Parsed {
        let depth = (children.map(\.depth).max() ?? 0) + 1
        guard depth <= maxDepth else { throw tooDeep(offset) }
        return Parsed(node: node, depth: depth)
    }

    private func tooDeep(_ offset: Int) -> ExpressionError {
        ExpressionError(code: .tooDeep, message: "expression is nested more than \(maxDepth) levels deep; simplify it", offset: offset)
    }

    private mutating func enter() throws(ExpressionError) {
        nesting += 1
        guard nesting <= maxDepth else { throw tooDeep(current.offset) }
    }

    private mutating func ternary() throws(ExpressionError) -> Parsed {
        try enter()
        defer { nesting -= 1 }
        let condition = try binary(level: 0)
        guard let question = accept(.question) else { return condition }
        let then = try ternary()
        try expect(.colon, "between the branches of `? :`")
        let otherwise = try ternary()
        return try node(
            .conditional(condition.node, then.node, otherwise.node, offset: question.offset),
            children: [condition, then, otherwise], offset: question.offset)
    }

    /// Binary operators from loosest to tightest binding; `in` binds like the comparisons, as in CEL.
    private static let levels: [[BinaryOperator]] = [
        [.or], [.and], [.equal, .notEqual], [.less, .lessEqual, .greater, .greaterEqual, .contains],
        [.add, .subtract], [.multiply, .divide, .remainder],
    ]

    private func binaryOperator(at level: Int) -> BinaryOperator? {
        let found: BinaryOperator? =
            switch current.kind {
            case .symbol(let symbol): BinaryOperator(symbol: symbol)
            case .inKeyword: .contains
            default: nil
            }
        guard let found, Self.levels[level].contains(found) else { return nil }
        return found
    }

    private mutating func binary(level: Int) throws(ExpressionError) -> Parsed {
        guard level < Self.levels.count else { return try unary() }
        var left = try binary(level: level + 1)
        while let op = binaryOperator(at: level) {
            let offset = advance().offset
            let right = try binary(level: level + 1)
            left = try node(.binary(op, left.node, right.node, offset: offset), children: [left, right], offset: offset)
        }
        return left
    }

    private mutating func unary() throws(ExpressionError) -> Parsed {
        let op: UnaryOperator? =
            switch current.kind {
            case .symbol(.bang): .not
            case .symbol(.minus): .negate
            default: nil
            }
        guard let op else { return try postfix() }
        let offset = advance().offset
        try enter()
        defer { nesting -= 1 }
        let operand = try unary()
        if op == .negate, case .literal(let value, _) = operand.node, let folded = Self.negated(value) {
            return Parsed(node: .literal(folded, offset: offset), depth: operand.depth)
        }
        return try node(.unary(op, operand.node, offset: offset), children: [operand], offset: offset)
    }

    private static func negated(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .integer(let number) where number != .min: .integer(-number)
        case .double(let number): .double(-number)
        default: nil
        }
    }

    private mutating func postfix() throws(ExpressionError) -> Parsed {
        var base = try primary()
        while true {
            if let dot = accept(.dot) {
                let (name, nameOffset) = try fieldName(after: dot)
                if accept(.leftParen) != nil {
                    let function = try BuiltinFunction.resolve(name, offset: nameOffset, receiver: true)
                    let arguments = try list(closing: .rightParen, context: "to close the call")
                    base = try call(function, [base] + arguments, offset: nameOffset)
                } else {
                    base = try node(.member(base.node, name, offset: nameOffset), children: [base], offset: nameOffset)
                }
            } else if let bracket = accept(.leftBracket) {
                try enter()
                let subscriptValue = try ternary()
                nesting -= 1
                try expect(.rightBracket, "to close the index")
                base = try node(.index(base.node, subscriptValue.node, offset: bracket.offset), children: [base, subscriptValue], offset: bracket.offset)
            } else {
                return base
            }
        }
    }

    private mutating func fieldName(after dot: Token) throws(ExpressionError) -> (String, Int) {
        let token = advance()
        switch token.kind {
        case .identifier(let name): return (name, token.offset)
        case .trueKeyword: return ("true", token.offset)
        case .falseKeyword: return ("false", token.offset)
        case .nullKeyword: return ("null", token.offset)
        case .inKeyword: return ("in", token.offset)
        default:
            throw ExpressionError(code: .syntax, message: "expected a field name after `.`, found \(token.kind.display)", offset: token.offset)
        }
    }

    private func call(_ function: BuiltinFunction, _ arguments: [Parsed], offset: Int) throws(ExpressionError) -> Parsed {
        guard function.arity.contains(arguments.count) else {
            throw ExpressionError(
                code: .arity, message: "`\(function.rawValue)` takes \(function.arityDescription), got \(arguments.count)",
                offset: offset)
        }
        return try node(.call(function, arguments.map(\.node), offset: offset), children: arguments, offset: offset)
    }

    private mutating func list(closing: Symbol, context: String) throws(ExpressionError) -> [Parsed] {
        try enter()
        defer { nesting -= 1 }
        var elements: [Parsed] = []
        if accept(closing) != nil { return elements }
        repeat {
            elements.append(try ternary())
        } while accept(.comma) != nil && !(current.kind == .symbol(closing))
        try expect(closing, context)
        return elements
    }

    private mutating func primary() throws(ExpressionError) -> Parsed {
        let token = advance()
        switch token.kind {
        case .integer(let value): return Parsed(node: .literal(.integer(value), offset: token.offset), depth: 1)
        case .double(let value): return Parsed(node: .literal(.double(value), offset: token.offset), depth: 1)
        case .string(let value): return Parsed(node: .literal(.string(value), offset: token.offset), depth: 1)
        case .trueKeyword: return Parsed(node: .literal(.bool(true), offset: token.offset), depth: 1)
        case .falseKeyword: return Parsed(node: .literal(.bool(false), offset: token.offset), depth: 1)
        case .nullKeyword: return Parsed(node: .literal(.null, offset: token.offset), depth: 1)
        case .identifier(let name):
            if accept(.leftParen) != nil {
                let function = try BuiltinFunction.resolve(name, offset: token.offset, receiver: false)
                let arguments = try list(closing: .rightParen, context: "to close the call")
                return try call(function, arguments, offset: token.offset)
            }
            roots.insert(name)
            return Parsed(node: .variable(name, offset: token.offset), depth: 1)
        case .symbol(.leftParen):
            let inner = try ternary()
            try expect(.rightParen, "to close `(`")
            return inner
        case .symbol(.leftBracket):
            let elements = try list(closing: .rightBracket, context: "to close the list")
            return try node(.list(elements.map(\.node), offset: token.offset), children: elements, offset: token.offset)
        case .symbol(.leftBrace):
            return try mapLiteral(openedAt: token.offset)
        default:
            throw ExpressionError(code: .syntax, message: "expected a value, found \(token.kind.display)", offset: token.offset)
        }
    }

    private mutating func mapLiteral(openedAt offset: Int) throws(ExpressionError) -> Parsed {
        try enter()
        defer { nesting -= 1 }
        var entries: [MapEntry] = []
        var children: [Parsed] = []
        if accept(.rightBrace) == nil {
            repeat {
                let keyOffset = current.offset
                let key = try ternary()
                try expect(.colon, "after a map key")
                let value = try ternary()
                entries.append(MapEntry(key: key.node, value: value.node, offset: keyOffset))
                children += [key, value]
            } while accept(.comma) != nil && !(current.kind == .symbol(.rightBrace))
            try expect(.rightBrace, "to close the map")
        }
        return try node(.map(entries, offset: offset), children: children, offset: offset)
    }
}
