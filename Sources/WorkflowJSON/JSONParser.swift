/// Parses JSON text (RFC 8259) straight into a ``JSONValue``, without `JSONDecoder`.
///
/// `JSONDecoder` can only reach a `JSONValue` by trying each type in turn, and every failed try
/// builds and throws a `DecodingError`: an object was five throws deep before it was read. That
/// made decoding task messages and reports the largest cost of a distributed step. This parser
/// reads each byte once and knows the type from it.
///
/// Numbers are read as `JSONDecoder` reads them into a `JSONValue`, so a value decodes the same
/// either way: an integer literal that fits `Int` is an integer; any other number is a double,
/// kept as an integer when the double is one exactly (`1.0` and `1e2` are integers, `1.5` and
/// `1e20` doubles); a number too large for a double is an error. Where `JSONDecoder` is lenient,
/// this parser follows the RFC: a trailing comma, a leading zero or a bare `-` is an error. Of
/// an object's duplicate keys the first is kept (as `JSONDecoder` does), unless they are refused
/// (``DuplicateKeys/refuse``, for text whose readers may disagree about them). Strings must be valid
/// UTF-8 and `\u` escapes pair their surrogates. Nesting deeper than ``maximumDepth`` is an error.
///
/// ```swift
/// let value = try JSONParser.parse(Array(#"{"a": [1, 2.5, "x"]}"#.utf8))
/// ```
public enum JSONParser {
    /// How deeply arrays and objects may nest (`JSONDecoder`'s limit).
    public static let maximumDepth = 512

    /// What an object with a member name twice becomes.
    public enum DuplicateKeys: Sendable {
        /// The first member of that name is kept, the later ones dropped.
        case keepFirst
        /// The text is refused: another reader might have kept the last one.
        case refuse
    }

    /// The value in `bytes`, which must hold exactly one JSON value (whitespace around it allowed).
    ///
    /// - Throws: ``JSONParseError`` naming the line and column of the first byte that is wrong.
    public static func parse(_ bytes: some Collection<UInt8>, duplicateKeys: DuplicateKeys = .keepFirst) throws(JSONParseError) -> JSONValue {
        // `withContiguousStorageIfAvailable` only rethrows untyped errors: carry the typed one out.
        if let parsed = bytes.withContiguousStorageIfAvailable({ buffer in
            Result { () throws(JSONParseError) in try parse(buffer: buffer, duplicateKeys: duplicateKeys) }
        }) {
            return try parsed.get()
        }
        return try Array(bytes).withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer: buffer, duplicateKeys: duplicateKeys) }
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>, duplicateKeys: DuplicateKeys) throws(JSONParseError) -> JSONValue {
        var reader = JSONByteReader(bytes: buffer, duplicateKeys: duplicateKeys)
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.isAtEnd else { throw reader.error("unexpected text after the JSON value") }
        return value
    }
}

/// Why JSON text could not be parsed, and where (1-based line and column, in bytes).
public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var reason: String

    public init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "line \(line), column \(column): \(reason)" }
}

/// A cursor over JSON bytes that reads one value at a time.
private struct JSONByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let duplicateKeys: JSONParser.DuplicateKeys
    var position = 0

    var isAtEnd: Bool { position == bytes.count }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func readValue(depth: Int) throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw error("expected a value, found the end of the text") }
        switch bytes[position] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < JSONParser.maximumDepth else { throw error("arrays and objects nest deeper than \(JSONParser.maximumDepth) levels") }
            return bytes[position] == UInt8(ascii: "{") ? try readObject(depth: depth + 1) : try readArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try readLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
        default: throw error("expected a value")
        }
    }

    private mutating func readObject(depth: Int) throws(JSONParseError) -> JSONValue {
        position += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return .object(members) }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a member name in quotes") }
            let keyPosition = position
            let key = try readString()
            let repeated = members[key] != nil
            if repeated, duplicateKeys == .refuse {
                throw error("the member name \(JSONValue.string(key).encodedString()) appears twice in one object", at: keyPosition)
            }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { throw error("expected `:` after a member name") }
            let value = try readValue(depth: depth)
            if !repeated { members[key] = value }
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "}")) { return .object(members) }
            throw error("expected `,` or `}` after an object member")
        }
    }

    private mutating func readArray(depth: Int) throws(JSONParseError) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return .array(elements) }
        while true {
            elements.append(try readValue(depth: depth))
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "]")) { return .array(elements) }
            throw error("expected `,` or `]` after an array element")
        }
    }

    private mutating func readLiteral(_ literal: StaticString) throws(JSONParseError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        guard bytes.count - position >= expected.count,
              bytes[position..<position + expected.count].elementsEqual(expected) else {
            throw error("expected a value")
        }
        position += expected.count
    }

    /// A string, its opening quote at `position`. Runs without escapes are copied as they are.
    private mutating func readString() throws(JSONParseError) -> String {
        position += 1
        var start = position
        var unescaped: [UInt8] = []
        var sawEscape = false
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                let run = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                let string: String?
                if sawEscape {
                    unescaped.append(contentsOf: run)
                    string = String(validating: unescaped, as: UTF8.self)
                } else {
                    string = String(validating: run, as: UTF8.self)
                }
                guard let string else { throw error("a string is not valid UTF-8", at: position - 1) }
                return string
            case UInt8(ascii: "\\"):
                sawEscape = true
                unescaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
                try readEscape(into: &unescaped)
                start = position
            case 0x00..<0x20:
                throw error("a control character in a string must be escaped")
            default:
                position += 1
            }
        }
        throw error("a string is not closed")
    }

    /// One escape sequence, its backslash at `position`, appended as UTF-8.
    private mutating func readEscape(into output: inout [UInt8]) throws(JSONParseError) {
        position += 1
        guard position < bytes.count else { throw error("a string is not closed") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw error("a \\u escape of a high surrogate is not followed by its low surrogate")
                }
                position += 2
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("a \\u escape of a high surrogate is not followed by its low surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw error("a \\u escape of a low surrogate has no high surrogate before it")
            }
            // Surrogates were paired above, so every value left is a Unicode scalar.
            output.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
        default:
            throw error("unknown escape `\\\(Character(Unicode.Scalar(byte)))`", at: position - 1)
        }
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw error("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let digit: UInt8
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = bytes[position] - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = bytes[position] - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = bytes[position] - UInt8(ascii: "A") + 10
            default: throw error("a \\u escape needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// A number, validated against the RFC's grammar before it is converted.
    private mutating func readNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        var isInteger = true
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {
            if position < bytes.count, isDigit(bytes[position]) { throw error("a number must not start with a zero") }
        } else if readDigits() == 0 {
            throw error("expected a digit")
        }
        if consume(UInt8(ascii: ".")) {
            isInteger = false
            guard readDigits() > 0 else { throw error("expected a digit after the decimal point") }
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            isInteger = false
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard readDigits() > 0 else { throw error("expected a digit in the exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger, let integer = Int(text) { return .integer(integer) }
        guard let double = Double(text), double.isFinite else { throw error("the number \(text) is too large", at: start) }
        if let integer = Int(exactly: double) { return .integer(integer) }
        return .double(double)
    }

    private mutating func readDigits() -> Int {
        let start = position
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        return position - start
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// An error at `offset` (the current position unless given), with its line and column.
    func error(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        let end = min(offset ?? position, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return JSONParseError(line: line, column: end - lineStart + 1, reason: reason)
    }
}
