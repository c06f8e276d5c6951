/// The `Encoder` that ``CompactJSONEncoder`` hands to a value: the first container the value asks
/// for is opened at the writer's current position; asking again returns the same container.
final class StreamEncoder: Encoder {
    let writer: JSONStreamWriter
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any] = [:]
    /// Where containers opened by this encoder sit in the writer's stack.
    let level: Int
    private(set) var wroteContainer = false
    private var keyedLevel: Int?
    private var unkeyedLevel: Int?

    init(writer: JSONStreamWriter, codingPath: [any CodingKey], level: Int) {
        self.writer = writer
        self.codingPath = codingPath
        self.level = level
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if keyedLevel == nil {
            wroteContainer = true
            keyedLevel = writer.openContainer(UInt8(ascii: "{"), closer: UInt8(ascii: "}"))
        }
        return KeyedEncodingContainer(StreamKeyedContainer<Key>(writer: writer, codingPath: codingPath, level: keyedLevel ?? level))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if unkeyedLevel == nil {
            wroteContainer = true
            unkeyedLevel = writer.openContainer(UInt8(ascii: "["), closer: UInt8(ascii: "]"))
        }
        return StreamUnkeyedContainer(writer: writer, codingPath: codingPath, level: unkeyedLevel ?? level)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        wroteContainer = true
        return StreamSingleValueContainer(writer: writer, codingPath: codingPath)
    }
}

/// A JSON object being written; every member first closes whatever the previous one left open.
struct StreamKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONStreamWriter
    let codingPath: [any CodingKey]
    let level: Int

    private func begin(_ key: Key) { writer.beginMember(key.stringValue, at: level) }

    mutating func encodeNil(forKey key: Key) throws {
        begin(key)
        writer.writeNull()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        begin(key)
        writer.write(bool: value)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        begin(key)
        writer.write(string: value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        begin(key)
        try writer.write(number: value, codingPath: codingPath + [key])
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        begin(key)
        try writer.write(number: value, codingPath: codingPath + [key])
    }

    mutating func encode(_ value: Int, forKey key: Key) throws { begin(key); writer.write(integer: value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { begin(key); writer.write(integer: value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { begin(key); writer.write(integer: value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { begin(key); writer.write(integer: value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { begin(key); writer.write(integer: value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { begin(key); writer.write(integer: value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { begin(key); writer.write(integer: value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { begin(key); writer.write(integer: value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { begin(key); writer.write(integer: value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { begin(key); writer.write(integer: value) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        begin(key)
        try writer.encode(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        begin(key)
        let nested = writer.openContainer(UInt8(ascii: "{"), closer: UInt8(ascii: "}"))
        return KeyedEncodingContainer(StreamKeyedContainer<NestedKey>(writer: writer, codingPath: codingPath + [key], level: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        begin(key)
        let nested = writer.openContainer(UInt8(ascii: "["), closer: UInt8(ascii: "]"))
        return StreamUnkeyedContainer(writer: writer, codingPath: codingPath + [key], level: nested)
    }

    mutating func superEncoder() -> any Encoder {
        deferredEncoder(key: "super", codingKey: StreamIndexKey(stringValue: "super"))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        deferredEncoder(key: key.stringValue, codingKey: key)
    }

    private func deferredEncoder(key: String, codingKey: any CodingKey) -> any Encoder {
        StreamEncoder(writer: writer.deferMember(key, at: level), codingPath: codingPath + [codingKey], level: 0)
    }
}

/// A JSON array being written.
struct StreamUnkeyedContainer: UnkeyedEncodingContainer {
    let writer: JSONStreamWriter
    let codingPath: [any CodingKey]
    let level: Int

    var count: Int { writer.open.indices.contains(level) ? writer.open[level].elements : 0 }

    private func begin() { writer.beginElement(at: level) }
    private var nextKey: StreamIndexKey { StreamIndexKey(intValue: count) }

    mutating func encodeNil() throws {
        begin()
        writer.writeNull()
    }

    mutating func encode(_ value: Bool) throws {
        begin()
        writer.write(bool: value)
    }

    mutating func encode(_ value: String) throws {
        begin()
        writer.write(string: value)
    }

    mutating func encode(_ value: Double) throws {
        let key = nextKey
        begin()
        try writer.write(number: value, codingPath: codingPath + [key])
    }

    mutating func encode(_ value: Float) throws {
        let key = nextKey
        begin()
        try writer.write(number: value, codingPath: codingPath + [key])
    }

    mutating func encode(_ value: Int) throws { begin(); writer.write(integer: value) }
    mutating func encode(_ value: Int8) throws { begin(); writer.write(integer: value) }
    mutating func encode(_ value: Int16) throws { begin(); writer.write(integer: value) }
    mutating func encode(_ value: Int32) throws { begin(); writer.write(integer: value) }
    mutating func encode(_ value: Int64) throws { begin(); writer.write(integer: value) }
    mutating func encode(_ value: UInt) throws { begin(); writer.write(integer: value) }
    mutating func encode(_ value: UInt8) throws { begin(); writer.write(integer: value) }
    mutating func encode(_ value: UInt16) throws { begin(); writer.write(integer: value) }
    mutating func encode(_ value: UInt32) throws { begin(); writer.write(integer: value) }
    mutating func encode(_ value: UInt64) throws { begin(); writer.write(integer: value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = nextKey
        begin()
        try writer.encode(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let key = nextKey
        begin()
        let nested = writer.openContainer(UInt8(ascii: "{"), closer: UInt8(ascii: "}"))
        return KeyedEncodingContainer(StreamKeyedContainer<NestedKey>(writer: writer, codingPath: codingPath + [key], level: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = nextKey
        begin()
        let nested = writer.openContainer(UInt8(ascii: "["), closer: UInt8(ascii: "]"))
        return StreamUnkeyedContainer(writer: writer, codingPath: codingPath + [key], level: nested)
    }

    mutating func superEncoder() -> any Encoder {
        // An array element written now, by an encoder of its own.
        let key = nextKey
        begin()
        return StreamEncoder(writer: writer, codingPath: codingPath + [key], level: writer.open.count)
    }
}

/// A single value written where the encoder stands.
struct StreamSingleValueContainer: SingleValueEncodingContainer {
    let writer: JSONStreamWriter
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { writer.writeNull() }
    mutating func encode(_ value: Bool) throws { writer.write(bool: value) }
    mutating func encode(_ value: String) throws { writer.write(string: value) }
    mutating func encode(_ value: Double) throws { try writer.write(number: value, codingPath: codingPath) }
    mutating func encode(_ value: Float) throws { try writer.write(number: value, codingPath: codingPath) }
    mutating func encode(_ value: Int) throws { writer.write(integer: value) }
    mutating func encode(_ value: Int8) throws { writer.write(integer: value) }
    mutating func encode(_ value: Int16) throws { writer.write(integer: value) }
    mutating func encode(_ value: Int32) throws { writer.write(integer: value) }
    mutating func encode(_ value: Int64) throws { writer.write(integer: value) }
    mutating func encode(_ value: UInt) throws { writer.write(integer: value) }
    mutating func encode(_ value: UInt8) throws { writer.write(integer: value) }
    mutating func encode(_ value: UInt16) throws { writer.write(integer: value) }
    mutating func encode(_ value: UInt32) throws { writer.write(integer: value) }
    mutating func encode(_ value: UInt64) throws { writer.write(integer: value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.encode(value, codingPath: codingPath) }
}

/// An array index, or `super`, in a coding path.
struct StreamIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}
