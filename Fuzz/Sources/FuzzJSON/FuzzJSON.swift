import WorkflowJSON

/// A small document shape for `JSONValueDecoder` to read from whatever tree the parser made.
struct Shape: Decodable {
    var name: String?
    var count: Int?
    var ratio: Double?
    var tags: [String]?
    var nested: [String: Shape]?
    var value: JSONValue?
}

/// libFuzzer entry point: the bytes are parsed with `JSONParser` (callback responses and messages
/// arrive as untrusted JSON). A parse error is an accepted outcome. A parsed value must write back
/// to text that parses to the same value, and decoding it into a `Decodable` must not crash;
/// a crash, a hang, unbounded memory or a failed round trip is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    let written = Array(value.encodedString().utf8)
    guard let reparsed = try? JSONParser.parse(written), reparsed == value else {
        fatalError("round trip changed the value: \(value) wrote \(String(decoding: written, as: UTF8.self))")
    }
    _ = try? JSONValueDecoder().decode(Shape.self, from: value)
    _ = try? JSONValueDecoder().decode([Shape].self, from: value)
    return 0
}
