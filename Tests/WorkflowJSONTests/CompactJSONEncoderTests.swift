import Foundation
import Testing
import WorkflowJSON

/// `CompactJSONEncoder` must write JSON that `JSONDecoder` reads back to the same value, and the
/// same document `JSONEncoder` writes (compared as parsed JSON: member order may differ).
struct CompactJSONEncoderTests {
    enum Phase: Codable, Equatable {
        case waiting
        case running(attempt: Int, since: Date)
        case failed(String, retryable: Bool)
    }

    struct Inner: Codable, Equatable {
        var name: String
        var weight: Double
        var tags: [String]
        var note: String?
    }

    struct Sample: Codable, Equatable {
        var id: String
        var count: Int
        var big: Int64
        var small: UInt8
        var ratio: Float
        var flag: Bool
        var missing: Int?
        var present: Int?
        var when: Date
        var blob: Data
        var link: URL
        var value: JSONValue
        var phases: [String: Phase]
        var visits: [String: Int]
        var byNumber: [Int: String]
        var nested: [[Inner]]
        var optionals: [Int?]
        var empty: [String: Inner]
    }

    static let sample = Sample(
        id: "ex-1 \"quoted\" \\ /slash\n", count: -7, big: .max, small: 255, ratio: 0.25, flag: true, missing: nil, present: 3,
        when: Date(timeIntervalSince1970: 1_764_000_000.125), blob: Data([0, 1, 2, 250]), link: URL(string: "https://example.com/a?b=c")!,
        value: ["b": [1, 2.5, "x", .null], "a": true],
        phases: ["a": .waiting, "b": .running(attempt: 2, since: Date(timeIntervalSince1970: 0)), "c": .failed("boom", retryable: false)],
        visits: ["s1": 1, "s2": 10], byNumber: [1: "one", 20: "twenty"],
        nested: [[Inner(name: "é😀", weight: 1.0, tags: [], note: nil)], [], [Inner(name: "n", weight: -0.5, tags: ["t"], note: "x")]],
        optionals: [1, nil, 3], empty: [:])

    @Test func roundTripsThroughJSONDecoder() throws {
        let data = try CompactJSONEncoder().encode(Self.sample)
        #expect(try JSONDecoder().decode(Sample.self, from: data) == Self.sample)
    }

    @Test func writesTheDocumentJSONEncoderWrites() throws {
        let ours = try JSONValue(jsonData: CompactJSONEncoder().encode(Self.sample))
        let theirs = try JSONValue(jsonData: JSONEncoder().encode(Self.sample))
        #expect(ours == theirs)
    }

    @Test func encodesTopLevelPrimitivesAndCollections() throws {
        let encoder = CompactJSONEncoder()
        #expect(String(decoding: try encoder.encode("a/b"), as: UTF8.self) == #""a/b""#)
        #expect(String(decoding: try encoder.encode(42), as: UTF8.self) == "42")
        #expect(String(decoding: try encoder.encode([1.5, 2]), as: UTF8.self) == "[1.5,2]")
        #expect(String(decoding: try encoder.encode([[Int]]()), as: UTF8.self) == "[]")
        #expect(String(decoding: try encoder.encode(["k": [Int?.none]]), as: UTF8.self) == #"{"k":[null]}"#)
    }

    @Test func refusesNonFiniteNumbers() {
        #expect(throws: EncodingError.self) { try CompactJSONEncoder().encode(["x": Double.nan]) }
        #expect(throws: EncodingError.self) { try CompactJSONEncoder().encode([Float.infinity]) }
    }

    /// Hand-written `encode(to:)` using nested containers and a super encoder, left open in turn.
    struct Handwritten: Encodable {
        enum Keys: String, CodingKey { case head, list, base, tail }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var head = container.nestedContainer(keyedBy: Keys.self, forKey: .head)
            try head.encode(1, forKey: .tail)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode("a")
            var inner = list.nestedContainer(keyedBy: Keys.self)
            try inner.encode(true, forKey: .head)
            try list.encode("b")
            let base = container.superEncoder(forKey: .base)
            var baseContainer = base.container(keyedBy: Keys.self)
            try baseContainer.encode("x", forKey: .head)
            try container.encode(2, forKey: .tail)
        }
    }

    @Test func closesNestedAndSuperContainersInOrder() throws {
        let written = try JSONValue(jsonData: CompactJSONEncoder().encode(Handwritten()))
        #expect(written == ["head": ["tail": 1], "list": ["a", ["head": true], "b"], "base": ["head": "x"], "tail": 2])
    }
}
