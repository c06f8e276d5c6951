/// Splits template text into literal text and `${...}` expressions, lexing each expression in place
/// so braces inside its string literals do not end it early.
struct TemplateScanner {
    private let characters: [Character]
    private let limits: ExpressionLimits

    init(source: String, limits: ExpressionLimits) {
        self.characters = Array(source)
        self.limits = limits
    }

    /// The template's parts, adjacent text merged.
    func parts() throws(ExpressionError) -> [Template.Part] {
        var parts: [Template.Part] = []
        var text = ""
        var position = 0
        while position < characters.count {
            let character = characters[position]
            if character == "$", at(position + 1, "$"), at(position + 2, "{") {
                text += "${"
                position += 3
            } else if character == "$", at(position + 1, "{") {
                if !text.isEmpty {
                    parts.append(.text(text))
                    text = ""
                }
                let (expression, end) = try expression(openedAt: position)
                parts.append(.expression(expression))
                position = end + 1
            } else {
                text.append(character)
                position += 1
            }
        }
        if !text.isEmpty || parts.isEmpty { parts.append(.text(text)) }
        return parts
    }

    private func at(_ position: Int, _ character: Character) -> Bool {
        position < characters.count && characters[position] == character
    }

    /// Parses the expression of the `${` at `open`; returns it and the offset of its closing `}`.
    private func expression(openedAt open: Int) throws(ExpressionError) -> (Expression, Int) {
        let start = open + 2
        var lexer = Lexer(characters: characters, start: start)
        var tokens: [Token] = []
        var depth = 0
        while true {
            let token = try lexer.next()
            switch token.kind {
            case .end:
                throw ExpressionError(code: .syntax, message: "`${` is not closed; add a matching `}`", offset: open)
            case .symbol(.leftBrace):
                depth += 1
            case .symbol(.rightBrace) where depth == 0:
                guard token.offset - start <= limits.maxLength else {
                    throw ExpressionError(
                        code: .tooLong, message: "expression is longer than the limit of \(limits.maxLength) characters",
                        offset: start)
                }
                tokens.append(Token(kind: .end, offset: token.offset))
                let text = String(characters[start..<token.offset])
                return (try Expression(source: text, tokens: tokens, limits: limits), token.offset)
            case .symbol(.rightBrace):
                depth -= 1
            default:
                break
            }
            tokens.append(token)
        }
    }
}
