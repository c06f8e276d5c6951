import CHiredis

extension RedisReply {
    /// Copies a hiredis reply tree into Swift values; the caller frees `reply` right after.
    init(copying reply: UnsafePointer<redisReply>) {
        let reply = reply.pointee
        func bytes() -> [UInt8] {
            guard let pointer = reply.str, reply.len > 0 else { return [] }
            return Array(UnsafeRawBufferPointer(start: pointer, count: reply.len))
        }
        switch reply.type {
        case REDIS_REPLY_STRING: self = .string(bytes())
        case REDIS_REPLY_INTEGER: self = .integer(Int64(reply.integer))
        case REDIS_REPLY_NIL: self = .null
        case REDIS_REPLY_STATUS: self = .status(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_ERROR: self = .error(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_ARRAY:
            self = .array((0..<reply.elements).map { index in
                reply.element[index].map { RedisReply(copying: $0) } ?? .null
            })
        default: self = .error("unknown hiredis reply type \(reply.type)")
        }
    }
}
