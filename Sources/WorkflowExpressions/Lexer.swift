/// Splits expression text into tokens, by hand (no regular expressions on the hot path).
struct Lexer {
    private let characters: [Character]
    private var position: Int
    private let endPosition: Int

    /// Lexes `characters[start..<end]`; token offsets are positions in `characters`.
    init(characters: [Character], start: Int = 0, end: Int? = nil) {
        self.characters = characters
        self.position = start
        self.endPosition = end ?? characters.count
    }

    /// Lexes every token up to the end, followed by an `.end` token.
    mutating func tokenize() throws(ExpressionError) -> [Token] {
        var tokens: [Token] = []
        while true {
            let token = try next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    /// The next token; `.end` once the input is exhausted.
    mutating func next() throws(ExpressionError) -> Token {
        while position < endPosition, characters[position].isWhitespace { position += 1 }
        guard position < endPosition else { return Token(kind: .end, offset: position) }
        let start = position
        let character = characters[position]
        if character.isNumber, character.isASCII { return try number() }
        if character == "_" || character.isLetter { return identifier() }
        if character == "\"" || character == "'" { return try string(quote: character) }
        if let symbol = symbol() { return Token(kind: .symbol(symbol), offset: start) }
        throw ExpressionError(code: .syntax, message: "unexpected character `\(character)`", offset: start)
    }

    private func peek(_ ahead: Int = 0) -> Character? {
        position + ahead < endPosition ? characters[position + ahead] : nil
    }

    private func isDigit(_ character: Character?) -> Bool {
        guard let character, let ascii = character.asciiValue else { return false }
        return ascii >= 48 && ascii <= 57
    }

    private mutating func number() throws(ExpressionError) -> Token {
        let start = position
        var isDouble = false
        while isDigit(peek()) { position += 1 }
        if peek() == ".", isDigit(peek(1)) {
            isDouble = true
            position += 1
            while isDigit(peek()) { position += 1 }
        }
        if peek() == "e" || peek() == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if isDigit(peek(signed ? 2 : 1)) {
                isDouble = true
                position += signed ? 2 : 1
                while isDigit(peek()) { position += 1 }
            }
        }
        let text = String(characters[start..<position])
        if isDouble, let value = Double(text), value.isFinite {
            return Token(kind: .double(value), offset: start)
        }
        if !isDouble, let value = Int(text) { return Token(kind: .integer(value), offset: start) }
        throw ExpressionError(code: .syntax, message: "number `\(text)` is out of range", offset: start)
    }

    private mutating func identifier() -> Token {
        let start = position
        while let character = peek(), character == "_" || character.isLetter || character.isNumber { position += 1 }
        let name = String(characters[start..<position])
        let kind: TokenKind =
            switch name {
            case "true": .trueKeyword
            case "false": .falseKeyword
            case "null": .nullKeyword
            case "in": .inKeyword
            default: .identifier(name)
            }
        return Token(kind: kind, offset: start)
    }

    private mutating func string(quote: Character) throws(ExpressionError) -> Token {
        let start = position
        position += 1
        var value = ""
        while let character = peek() {
            position += 1
            if character == quote { return Token(kind: .string(value), offset: start) }
            guard character == "\\" else {
                value.append(character)
                continue
            }
            value.append(try escape(at: position - 1))
        }
        throw ExpressionError(code: .syntax, message: "string is not closed; add a matching \(quote)", offset: start)
    }

    private mutating func escape(at offset: Int) throws(ExpressionError) -> Character {
        guard let character = peek() else {
            throw ExpressionError(code: .syntax, message: "string ends in the middle of an escape", offset: offset)
        }
        position += 1
        switch character {
        case "\\", "'", "\"", "/", "$", "{", "}": return character
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "u":
            guard position + 4 <= endPosition,
                let code = UInt32(String(characters[position..<position + 4]), radix: 16),
                let scalar = Unicode.Scalar(code)
            else {
                throw ExpressionError(code: .syntax, message: "`\\u` needs four hex digits naming a character", offset: offset)
            }
            position += 4
            return Character(scalar)
        default:
            throw ExpressionError(
                code: .syntax, message: "unknown escape `\\\(character)`; use \\\\, \\', \\\", \\n, \\t, \\r or \\uXXXX",
                offset: offset)
        }
    }

    private mutating func symbol() -> Symbol? {
        guard let first = peek() else { return nil }
        if let second = peek(1), let double = Symbol(rawValue: String([first, second])) {
            position += 2
            return double
        }
        guard let single = Symbol(rawValue: String(first)) else { return nil }
        position += 1
        return single
    }
}
