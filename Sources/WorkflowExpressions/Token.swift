/// One lexical unit of an expression, with the character offset where it starts.
struct Token: Sendable, Equatable {
    /// What the token is.
    var kind: TokenKind
    /// 0-based character offset of the token's first character.
    var offset: Int
}

/// The kinds of tokens the lexer produces.
enum TokenKind: Sendable, Equatable {
    case integer(Int)
    case double(Double)
    case string(String)
    case identifier(String)
    case trueKeyword, falseKeyword, nullKeyword, inKeyword
    case symbol(Symbol)
    case end

    /// How the token reads in an error message.
    var display: String {
        switch self {
        case .integer(let value): "`\(value)`"
        case .double(let value): "`\(value)`"
        case .string: "a string"
        case .identifier(let name): "`\(name)`"
        case .trueKeyword: "`true`"
        case .falseKeyword: "`false`"
        case .nullKeyword: "`null`"
        case .inKeyword: "`in`"
        case .symbol(let symbol): "`\(symbol.rawValue)`"
        case .end: "the end of the expression"
        }
    }
}

/// Punctuation and operators.
enum Symbol: String, Sendable {
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", bang = "!"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
    case and = "&&", or = "||", question = "?", colon = ":", comma = ",", dot = "."
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]", leftBrace = "{", rightBrace = "}"
}
