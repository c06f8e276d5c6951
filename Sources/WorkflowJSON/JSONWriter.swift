public import Foundation

/// Writes compact JSON by hand, for the few documents written on every step (the execution
/// snapshot, the task message) where `Encodable`'s generic containers cost more than the
/// writing itself. Separators are placed for the caller: one flag says whether the next value
/// follows a sibling (a comma first) or opens a container or follows a key (nothing first).
///
/// Scalars are written as ``CompactJSONEncoder`` writes them (a `Date` as seconds since 2001,
/// ``JSONValue``s with sorted keys), so a type may write itself by hand and still decode with
/// its `Decodable` conformance.
///
/// ```swift
/// var writer = JSONWriter()
/// writer.object { object in
///     object.key("id"); object.string("ex-1")
///     object.key("tags"); object.array { list in list.string("a"); list.integer(2) }
/// }
/// let bytes = writer.bytes   // {"id":"ex-1","tags":["a",2]}
/// ```
public struct JSONWriter {
    /// What was written so far.
    public private(set) var bytes: [UInt8] = []
    private var followsSibling = false

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    private mutating func beginValue() {
        if followsSibling { bytes.append(UInt8(ascii: ",")) }
        followsSibling = true
    }

    /// A member name; the next value written is its value.
    public mutating func key(_ name: String) {
        beginValue()
        JSONValue.string(name).write(to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        followsSibling = false
    }

    /// An object whose members `body` writes (``key(_:)`` then a value, for each).
    public mutating func object(_ body: (inout JSONWriter) throws -> Void) rethrows {
        try container(opener: UInt8(ascii: "{"), closer: UInt8(ascii: "}"), body)
    }

    /// An array whose elements `body` writes.
    public mutating func array(_ body: (inout JSONWriter) throws -> Void) rethrows {
        try container(opener: UInt8(ascii: "["), closer: UInt8(ascii: "]"), body)
    }

    private mutating func container(opener: UInt8, closer: UInt8, _ body: (inout JSONWriter) throws -> Void) rethrows {
        beginValue()
        bytes.append(opener)
        followsSibling = false
        try body(&self)
        bytes.append(closer)
        followsSibling = true
    }

    public mutating func string(_ value: String) {
        beginValue()
        JSONValue.string(value).write(to: &bytes)
    }

    public mutating func integer(_ value: some BinaryInteger) {
        beginValue()
        bytes += String(value).utf8
    }

    public mutating func bool(_ value: Bool) {
        beginValue()
        JSONValue.bool(value).write(to: &bytes)
    }

    public mutating func null() {
        beginValue()
        JSONValue.null.write(to: &bytes)
    }

    /// A finite number as ``CompactJSONEncoder`` writes it (`null` if it is not finite).
    public mutating func double(_ value: Double) {
        beginValue()
        JSONValue.double(value).write(to: &bytes)
    }

    /// A date as `Date`'s own encoding writes it: seconds since 1 January 2001.
    public mutating func date(_ value: Date) {
        double(value.timeIntervalSinceReferenceDate)
    }

    public mutating func value(_ value: JSONValue) {
        beginValue()
        value.write(to: &bytes)
    }

    /// A value already written as JSON (by another writer): its bytes, copied as they are.
    public mutating func json(_ encoded: [UInt8]) {
        beginValue()
        bytes += encoded
    }

    /// An object of `dictionary`'s entries, each value written by `write`.
    public mutating func object<Value>(_ dictionary: [String: Value], _ write: (inout JSONWriter, Value) throws -> Void) rethrows {
        try object { object in
            for (name, value) in dictionary {
                object.key(name)
                try write(&object, value)
            }
        }
    }
}
