public import Foundation

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// Decodes a JSON document (with ``JSONParser``).
    ///
    /// - Throws: ``JSONParseError`` naming the line and column of what is wrong.
    public init(jsonData data: Data) throws {
        self = try JSONParser.parse(data)
    }

    /// Decodes a JSON document held in a string.
    public init(jsonString string: String) throws {
        try self.init(jsonData: Data(string.utf8))
    }

    /// The JSON text of this value, keys sorted so equal values print equally.
    public func encodedString(pretty: Bool = false) -> String {
        guard pretty else { return String(decoding: compactBytes(), as: UTF8.self) }
        return String(decoding: encodedData(pretty: true), as: UTF8.self)
    }

    /// The JSON bytes of this value, keys sorted.
    public func encodedData(pretty: Bool = false) -> Data {
        guard pretty else { return Data(compactBytes()) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Encoding a JSONValue cannot fail: every case maps to a JSON primitive.
        return (try? encoder.encode(self)) ?? Data("null".utf8)
    }

    private func compactBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return bytes
    }
}
