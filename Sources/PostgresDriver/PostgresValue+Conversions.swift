public import Foundation
public import WorkflowJSON

extension String: PostgresEncodable, PostgresDecodable, PostgresNonNullDecodable {
    public var postgresValue: PostgresValue { PostgresValue(text: self) }
    init(nonNullPostgresText text: String) { self = text }
}

extension Int: PostgresEncodable, PostgresDecodable, PostgresNonNullDecodable {
    public var postgresValue: PostgresValue { PostgresValue(text: String(self)) }
    init(nonNullPostgresText text: String) throws(PostgresError) {
        guard let value = Int(text) else { throw .decoding("not an integer: \(text)") }
        self = value
    }
}

extension Int64: PostgresEncodable, PostgresDecodable, PostgresNonNullDecodable {
    public var postgresValue: PostgresValue { PostgresValue(text: String(self)) }
    init(nonNullPostgresText text: String) throws(PostgresError) {
        guard let value = Int64(text) else { throw .decoding("not an integer: \(text)") }
        self = value
    }
}

extension Double: PostgresEncodable, PostgresDecodable, PostgresNonNullDecodable {
    public var postgresValue: PostgresValue { PostgresValue(text: String(self)) }
    init(nonNullPostgresText text: String) throws(PostgresError) {
        guard let value = Double(text) else { throw .decoding("not a number: \(text)") }
        self = value
    }
}

extension Bool: PostgresEncodable, PostgresDecodable, PostgresNonNullDecodable {
    public var postgresValue: PostgresValue { PostgresValue(text: self ? "t" : "f") }
    init(nonNullPostgresText text: String) throws(PostgresError) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw .decoding("not a boolean: \(text)")
        }
    }
}

/// `bytea` in hex format (`\x0102…`), the server's default output.
extension Data: PostgresEncodable, PostgresDecodable, PostgresNonNullDecodable {
    public var postgresValue: PostgresValue {
        let text = withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: 2 + bytes.count * 2) { hex in
                hex[0] = UInt8(ascii: "\\")
                hex[1] = UInt8(ascii: "x")
                for (index, byte) in bytes.enumerated() {
                    hex[2 + 2 * index] = Self.hexDigits[Int(byte >> 4)]
                    hex[3 + 2 * index] = Self.hexDigits[Int(byte & 0x0F)]
                }
                return 2 + bytes.count * 2
            }
        }
        return PostgresValue(text: text)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    init(nonNullPostgresText text: String) throws(PostgresError) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0 else {
            throw .decoding("bytea not in hex format")
        }
        var data = Data(capacity: (bytes.count - 2) / 2)
        var index = 2
        while index < bytes.count {
            guard let high = Self.nibble(bytes[index]), let low = Self.nibble(bytes[index + 1]) else {
                throw .decoding("bytea has a non-hex digit")
            }
            data.append(high << 4 | low)
            index += 2
        }
        self = data
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// `timestamptz` to microsecond precision, written and read in UTC ISO format (every connection
/// sets `TimeZone=UTC` and `DateStyle=ISO`).
extension Date: PostgresEncodable, PostgresDecodable, PostgresNonNullDecodable {
    public var postgresValue: PostgresValue { PostgresValue(text: PostgresTimestamp.format(self)) }

    init(nonNullPostgresText text: String) throws(PostgresError) {
        guard let date = PostgresTimestamp.parse(text) else { throw .decoding("not a UTC timestamp: \(text)") }
        self = date
    }
}

/// `json`/`jsonb` as compact JSON text.
extension JSONValue: PostgresEncodable, PostgresDecodable, PostgresNonNullDecodable {
    public var postgresValue: PostgresValue { PostgresValue(text: encodedString()) }

    init(nonNullPostgresText text: String) throws(PostgresError) {
        do { self = try JSONValue(jsonString: text) } catch { throw .decoding("invalid JSON: \(error)") }
    }
}
