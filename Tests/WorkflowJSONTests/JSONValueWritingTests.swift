import Foundation
import Testing
import WorkflowJSON

/// The direct writer must print exactly what `JSONEncoder` prints (sorted keys, unescaped slashes).
struct JSONValueWritingTests {
    static let samples: [JSONValue] = [
        .null, true, false, 0, -42, .integer(.max), .integer(.min),
        1.0, 0.1, -0.0, 1e20, 1e-5, 123_456_789.123, 1e300, 2.5e-300, 1e15, 1e16, 1.2345678901234567e19,
        "", "plain", "quote \" backslash \\ slash /", "\u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}\u{7F}", "é😀\u{2028}",
        [], [1, "two", [3.5], ["k": .null]],
        ["b": 1, "a": 2, "B": 3, "10": 4, "9": 5, "a2": 6, "a10": 7, "é": 8, "_": 9, "": 10],
        ["nested": ["z": [1, 2, ["y": "x"]], "a": ["deep": ["deeper": true]]]],
    ]

    @Test(arguments: samples)
    func writesWhatJSONEncoderWrites(value: JSONValue) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(value.encodedString() == expected)
        #expect(String(decoding: value.encodedData(), as: UTF8.self) == expected)
    }

    @Test func nonFiniteDoublesBecomeNull() {
        #expect(JSONValue.array([.double(.nan), .double(.infinity)]).encodedString() == "[null,null]")
    }
}
