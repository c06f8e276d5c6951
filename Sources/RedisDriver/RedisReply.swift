/// One reply from Redis, copied out of hiredis (whose reply objects are freed at once).
///
/// Bulk strings are bytes, so binary values survive the round trip; ``text`` decodes them as UTF-8.
public enum RedisReply: Sendable, Equatable {
    /// A bulk string (binary safe).
    case string([UInt8])
    /// An integer reply (`INCR`, `DEL`, `EXISTS`…).
    case integer(Int64)
    /// A multi-bulk reply.
    case array([RedisReply])
    /// The null bulk or null multi-bulk reply (`GET` of a missing key).
    case null
    /// A status reply such as `OK` or `PONG`.
    case status(String)
    /// An error reply such as `ERR unknown command`. Commands return it as a value; ``checked()``
    /// turns it into a thrown ``RedisError``.
    case error(String)

    /// The bytes of a bulk string.
    public var bytes: [UInt8]? {
        if case .string(let bytes) = self { return bytes }
        return nil
    }

    /// A bulk string or status as UTF-8 text.
    public var text: String? {
        switch self {
        case .string(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let status): status
        default: nil
        }
    }

    /// An integer reply, or a bulk string holding a decimal integer (`HGET` of a counter).
    public var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .string(let bytes): Int64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    /// The elements of a multi-bulk reply.
    public var elements: [RedisReply]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// `true` for the null reply.
    public var isNull: Bool { self == .null }

    /// The reply itself, or a thrown ``RedisError`` with code ``RedisError/Code/server`` if it is an error reply.
    public func checked(context: String = "") throws(RedisError) -> RedisReply {
        if case .error(let message) = self { throw RedisError(.server, message, context: context) }
        return self
    }
}
