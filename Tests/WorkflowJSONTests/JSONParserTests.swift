import Foundation
import Testing
import WorkflowJSON

/// `JSONParser` must read every valid document as `JSONDecoder` reads it into a `JSONValue`, and
/// refuse invalid text with the line and column of the first wrong byte.
struct JSONParserTests {
    /// The value `JSONDecoder` makes of `text`, the reference the parser is held to.
    private func viaJSONDecoder(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test(arguments: [
        #"{"a": 1, "b": 1.5, "c": [true, false, null, "x"], "d": {"e": -2, "f": {}}, "g": []}"#,
        "  7  ", "-0", "-0.0", "1.0", "1e2", "0.1e1", "1E-2", "1e-400", "-12.5e+3",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999",
        #""\u00e9\ud83d\ude00 é😀 \" \\ \/ \b\f\n\r\t \u0001""#,
        #"{"a": 1, "a": 2}"#,
        #"[[[["deep"]]], {"k": [1, {"l": null}]}]"#,
        "\n{\r\n\t\"spaced\" :\n[ 1 , 2 ]\n}\n",
    ])
    func readsWhatJSONDecoderReads(text: String) throws {
        #expect(try JSONParser.parse(Array(text.utf8)) == viaJSONDecoder(text))
    }

    @Test func keepsIntegersAndDoublesApart() throws {
        #expect(try JSONParser.parse(Array("[3, 3.5, 1e20]".utf8)) == [.integer(3), .double(3.5), .double(1e20)])
    }

    @Test(arguments: [
        ("[1,]", 1, 4, "expected a value"),
        ("{\"a\": 1,}", 1, 9, "expected a member name in quotes"),
        ("01", 1, 2, "a number must not start with a zero"),
        ("-", 1, 2, "expected a digit"),
        ("1.", 1, 3, "expected a digit after the decimal point"),
        ("1e", 1, 3, "expected a digit in the exponent"),
        ("1E400", 1, 1, "the number 1E400 is too large"),
        ("tru", 1, 1, "expected a value"),
        ("{\n  \"a\" 1\n}", 2, 7, "expected `:` after a member name"),
        ("[1 2]", 1, 4, "expected `,` or `]` after an array element"),
        ("{\"a\": 1 \"b\": 2}", 1, 9, "expected `,` or `}` after an object member"),
        ("\"abc", 1, 5, "a string is not closed"),
        ("\"a\u{01}\"", 1, 3, "a control character in a string must be escaped"),
        (#""\ud800""#, 1, 8, "a \\u escape of a high surrogate is not followed by its low surrogate"),
        (#""\udc00""#, 1, 8, "a \\u escape of a low surrogate has no high surrogate before it"),
        (#""\x""#, 1, 3, "unknown escape `\\x`"),
        (#""\u12g4""#, 1, 6, "a \\u escape needs four hex digits"),
        ("", 1, 1, "expected a value, found the end of the text"),
        ("{} {}", 1, 4, "unexpected text after the JSON value"),
    ])
    func refusesInvalidText(text: String, line: Int, column: Int, reason: String) {
        #expect(throws: JSONParseError(line: line, column: column, reason: reason)) {
            try JSONParser.parse(Array(text.utf8))
        }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONParseError(line: 1, column: 4, reason: "a string is not valid UTF-8")) {
            try JSONParser.parse([UInt8(ascii: "\""), 0x61, 0xFF, UInt8(ascii: "\"")])
        }
    }

    @Test func boundsNesting() throws {
        let deepest = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(throws: Never.self) { try JSONParser.parse(Array(deepest.utf8)) }
        let tooDeep = "[" + deepest + "]"
        #expect(throws: JSONParseError(line: 1, column: JSONParser.maximumDepth + 1, reason: "arrays and objects nest deeper than 512 levels")) {
            try JSONParser.parse(Array(tooDeep.utf8))
        }
    }

    /// By default the first of a duplicated member is kept, as `JSONDecoder` does; where readers
    /// might disagree, the text can be refused instead, pointing at the second name.
    @Test func keepsTheFirstOfADuplicatedMemberOrRefusesIt() throws {
        let text = Array(#"{"answer": false, "nested": {"answer": true, "answer": false}}"#.utf8)
        #expect(try JSONParser.parse(text) == ["answer": false, "nested": ["answer": true]])
        #expect(throws: JSONParseError(line: 1, column: 46, reason: #"the member name "answer" appears twice in one object"#)) {
            try JSONParser.parse(text, duplicateKeys: .refuse)
        }
        #expect(try JSONParser.parse(Array(#"{"a": {"b": 1}, "b": {"a": 2}}"#.utf8), duplicateKeys: .refuse) == ["a": ["b": 1], "b": ["a": 2]])
        // The first wrong byte is named, not a later one.
        #expect(throws: JSONParseError(line: 1, column: 8, reason: #"the member name "a" appears twice in one object"#)) {
            try JSONParser.parse(Array(#"{"a":1,"a":["#.utf8), duplicateKeys: .refuse)
        }
    }

    @Test func readsWhatItWrites() throws {
        let value: JSONValue = ["text": "line\nbreak \u{7f} \u{1F600}", "list": [1, -2.25, true, .null, [:]], "nested": ["k": ["v"]]]
        #expect(try JSONParser.parse(Array(value.encodedString().utf8)) == value)
    }
}
