public import Foundation

/// Encodes `Encodable` values to compact JSON in a single pass, straight into a byte buffer.
///
/// `JSONEncoder` first builds a tree of boxed values and then serialises it, which made encoding
/// an execution's snapshot the largest single cost of a step. This encoder writes as the value
/// encodes itself; what it writes decodes with `JSONDecoder` to the same value. It follows
/// `JSONEncoder`'s default strategies: `Date` encodes itself (seconds since 2001 as a number),
/// `Data` as base64, `URL` as its absolute string, keys as declared, members in encoding order
/// (no `sortedKeys`: use `JSONEncoder` where the bytes must be canonical), and a non-finite
/// floating-point value is an `EncodingError`. ``JSONValue`` members are written with
/// ``JSONValue/write(to:)`` (sorted keys).
///
/// ```swift
/// let snapshot = try CompactJSONEncoder().encode(instance)
/// ```
public struct CompactJSONEncoder: Sendable {
    public init() {}

    /// The compact JSON of `value`.
    ///
    /// - Throws: `EncodingError.invalidValue` for a non-finite floating-point value.
    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let writer = JSONStreamWriter()
        try writer.encode(value, codingPath: [])
        return Data(writer.bytes)
    }
}

/// The output buffer and the containers still open in it, innermost last. A container is closed
/// (its `}` or `]` written) when its encoder's `encode(to:)` returns, or when an outer container
/// writes its next element — which is how nested containers, which have no explicit end in the
/// `Encoder` protocol, are closed in order.
final class JSONStreamWriter {
    struct OpenContainer {
        var closer: UInt8
        var elements = 0
        /// Members whose encoder was handed out by `superEncoder`, written when the container
        /// writes its next element or closes.
        var deferred: [(key: String, writer: JSONStreamWriter)] = []
    }

    var bytes: [UInt8] = []
    var open: [OpenContainer] = []

    init() {
        bytes.reserveCapacity(1024)
    }

    /// Writes `value` at the current position. Types JSON writes directly are told apart by their
    /// metatype, which costs a comparison where a failed dynamic cast costs a runtime call.
    func encode<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        let type: Any.Type = T.self
        if type == String.self {
            write(string: value as! String)
        } else if type == JSONValue.self {
            (value as! JSONValue).write(to: &bytes)
        } else if type == Int.self {
            write(integer: value as! Int)
        } else if type == Bool.self {
            write(bool: value as! Bool)
        } else if type == Double.self {
            try write(number: value as! Double, codingPath: codingPath)
        } else if type == Float.self {
            try write(number: value as! Float, codingPath: codingPath)
        } else if type == Data.self {
            write(string: (value as! Data).base64EncodedString())
        } else if type == URL.self {
            write(string: (value as! URL).absoluteString)
        } else if type == Decimal.self {
            bytes += (value as! Decimal).description.utf8
        } else {
            let level = open.count
            let encoder = StreamEncoder(writer: self, codingPath: codingPath, level: level)
            try value.encode(to: encoder)
            if !encoder.wroteContainer { bytes += Array("{}".utf8) }
            close(downTo: level)
        }
    }

    /// Opens a container at the current position; returns its level.
    func openContainer(_ opener: UInt8, closer: UInt8) -> Int {
        bytes.append(opener)
        open.append(OpenContainer(closer: closer))
        return open.count - 1
    }

    /// Closes the containers nested in the one at `level` and writes the separator for its next
    /// element.
    func beginElement(at level: Int) {
        close(downTo: level + 1)
        flushDeferred(at: level)
        if open[level].elements > 0 { bytes.append(UInt8(ascii: ",")) }
        open[level].elements += 1
    }

    /// Starts a member of the keyed container at `level`: separator, key and colon.
    func beginMember(_ key: String, at level: Int) {
        beginElement(at: level)
        write(string: key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Closes every container at `level` and deeper.
    func close(downTo level: Int) {
        while open.count > level {
            flushDeferred(at: open.count - 1)
            bytes.append(open.removeLast().closer)
        }
    }

    func deferMember(_ key: String, at level: Int) -> JSONStreamWriter {
        let writer = JSONStreamWriter()
        open[level].deferred.append((key, writer))
        return writer
    }

    private func flushDeferred(at level: Int) {
        guard !open[level].deferred.isEmpty else { return }
        let deferred = open[level].deferred
        open[level].deferred = []
        for member in deferred {
            member.writer.close(downTo: 0)
            if open[level].elements > 0 { bytes.append(UInt8(ascii: ",")) }
            open[level].elements += 1
            write(string: member.key)
            bytes.append(UInt8(ascii: ":"))
            bytes += member.writer.bytes.isEmpty ? Array("{}".utf8) : member.writer.bytes
        }
    }

    func write(string: String) {
        JSONValue.string(string).write(to: &bytes)
    }

    func write(bool: Bool) {
        JSONValue.bool(bool).write(to: &bytes)
    }

    func writeNull() {
        JSONValue.null.write(to: &bytes)
    }

    func write(integer: some BinaryInteger) {
        bytes += String(integer).utf8
    }

    func write(number: Double, codingPath: [any CodingKey]) throws {
        guard number.isFinite else {
            throw EncodingError.invalidValue(number, EncodingError.Context(
                codingPath: codingPath, debugDescription: "JSON cannot hold the non-finite number \(number)"))
        }
        JSONValue.double(number).write(to: &bytes)
    }

    func write(number: Float, codingPath: [any CodingKey]) throws {
        guard number.isFinite else {
            throw EncodingError.invalidValue(number, EncodingError.Context(
                codingPath: codingPath, debugDescription: "JSON cannot hold the non-finite number \(number)"))
        }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes += text.utf8
    }
}
