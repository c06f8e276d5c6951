import CRabbitMQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// C memory for the strings and field tables of one call (a publish batch, a declare): every
/// block is copied in once and freed together when the arena goes away, so no `amqp_bytes_t`
/// points into a Swift string after its closure ended.
final class CArena {
    private var blocks: [UnsafeMutableRawPointer] = []
    private var cache: [String: amqp_bytes_t] = [:]

    deinit {
        for block in blocks { free(block) }
    }

    /// A copy of `text` that lives as long as the arena; with `intern`, repeated strings
    /// (exchange, routing key, header names) are copied once.
    func bytes(_ text: String, intern: Bool = true) -> amqp_bytes_t {
        if intern, let cached = cache[text] { return cached }
        var copyOfText = text
        let result = copyOfText.withUTF8 { copy(UnsafeRawBufferPointer($0)) }
        if intern { cache[text] = result }
        return result
    }

    /// A field table holding `values` (strings as long strings, integers as signed 64-bit).
    func table(_ values: [String: HeaderValue]) -> amqp_table_t {
        guard !values.isEmpty else { return amqp_table_t(num_entries: 0, entries: nil) }
        let entries = allocate(amqp_table_entry_t.self, count: values.count)
        for (index, (key, value)) in values.sorted(by: { $0.key < $1.key }).enumerated() {
            var field = amqp_field_value_t()
            switch value {
            case .string(let text):
                field.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
                field.value.bytes = bytes(text)
            case .int(let number):
                field.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
                field.value.i64 = number
            }
            entries[index] = amqp_table_entry_t(key: bytes(key), value: field)
        }
        return amqp_table_t(num_entries: Int32(values.count), entries: entries)
    }

    /// The string and integer entries of a received table.
    static func decode(_ table: amqp_table_t) -> [String: HeaderValue] {
        guard let entries = table.entries, table.num_entries > 0 else { return [:] }
        var result: [String: HeaderValue] = [:]
        for index in 0..<Int(table.num_entries) {
            let entry = entries[index]
            let key = CConnection.string(entry.key)
            let value = entry.value.value
            switch UInt32(entry.value.kind) {
            case AMQP_FIELD_KIND_UTF8.rawValue, AMQP_FIELD_KIND_BYTES.rawValue: result[key] = .string(CConnection.string(value.bytes))
            case AMQP_FIELD_KIND_I8.rawValue: result[key] = .int(Int64(value.i8))
            case AMQP_FIELD_KIND_U8.rawValue: result[key] = .int(Int64(value.u8))
            case AMQP_FIELD_KIND_I16.rawValue: result[key] = .int(Int64(value.i16))
            case AMQP_FIELD_KIND_U16.rawValue: result[key] = .int(Int64(value.u16))
            case AMQP_FIELD_KIND_I32.rawValue: result[key] = .int(Int64(value.i32))
            case AMQP_FIELD_KIND_U32.rawValue: result[key] = .int(Int64(value.u32))
            case AMQP_FIELD_KIND_I64.rawValue: result[key] = .int(value.i64)
            case AMQP_FIELD_KIND_U64.rawValue, AMQP_FIELD_KIND_TIMESTAMP.rawValue: result[key] = .int(Int64(truncatingIfNeeded: value.u64))
            default: continue
            }
        }
        return result
    }

    private func copy(_ raw: UnsafeRawBufferPointer) -> amqp_bytes_t {
        guard let source = raw.baseAddress, raw.count > 0 else { return amqp_bytes_t(len: 0, bytes: nil) }
        let block = allocate(UInt8.self, count: raw.count)
        block.update(from: source.assumingMemoryBound(to: UInt8.self), count: raw.count)
        return amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(block))
    }

    private func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        guard let block = calloc(count, MemoryLayout<T>.stride) else { fatalError("CArena: out of memory") }
        blocks.append(block)
        return block.bindMemory(to: T.self, capacity: count)
    }
}
