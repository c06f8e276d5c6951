import Foundation
import Testing
import WorkflowJSON

/// `JSONValueDecoder` must decode what `JSONDecoder` decodes, to the same value, and fail where it
/// fails with a `DecodingError` that names the coding path.
struct JSONValueDecoderTests {
    typealias Sample = CompactJSONEncoderTests.Sample

    @Test func decodesWhatJSONDecoderDecodes() throws {
        for data in [try JSONEncoder().encode(CompactJSONEncoderTests.sample), try CompactJSONEncoder().encode(CompactJSONEncoderTests.sample)] {
            let ours = try JSONValueDecoder().decode(Sample.self, from: data)
            #expect(ours == CompactJSONEncoderTests.sample)
            #expect(ours == (try JSONDecoder().decode(Sample.self, from: data)))
        }
    }

    @Test func decodesFromATree() throws {
        let tree: JSONValue = ["name": "n", "weight": 2, "tags": ["a", "b"]]
        let inner = try JSONValueDecoder().decode(CompactJSONEncoderTests.Inner.self, from: tree)
        #expect(inner == CompactJSONEncoderTests.Inner(name: "n", weight: 2, tags: ["a", "b"], note: nil))
    }

    @Test func namesAMissingKey() throws {
        let error = try #require(throws: DecodingError.self) {
            try JSONValueDecoder().decode(CompactJSONEncoderTests.Inner.self, from: Array(#"{"name": "n", "tags": []}"#.utf8))
        }
        guard case .keyNotFound(let key, _) = error else { Issue.record("expected keyNotFound, got \(error)"); return }
        #expect(key.stringValue == "weight")
    }

    @Test func namesTheCodingPathOfAMismatch() throws {
        let error = try #require(throws: DecodingError.self) {
            try JSONValueDecoder().decode([CompactJSONEncoderTests.Inner].self, from: Array(#"[{"name": "n", "weight": 1, "tags": ["a", 2]}]"#.utf8))
        }
        guard case .typeMismatch(_, let context) = error else { Issue.record("expected typeMismatch, got \(error)"); return }
        #expect(context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } == ["0", "tags", "1"])
    }

    @Test func refusesAnIntegerOutOfRangeOrAFraction() {
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(UInt8.self, from: Array("256".utf8)) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Int.self, from: Array("1.5".utf8)) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Data.self, from: Array(#""not base64!""#.utf8)) }
    }

    @Test func wrapsAParseErrorInADecodingError() throws {
        let error = try #require(throws: DecodingError.self) { try JSONValueDecoder().decode([Int].self, from: Array("[1,]".utf8)) }
        guard case .dataCorrupted(let context) = error else { Issue.record("expected dataCorrupted, got \(error)"); return }
        #expect(context.underlyingError as? JSONParseError == JSONParseError(line: 1, column: 4, reason: "expected a value"))
    }
}
