import DriverSupport

/// Cached values with a time to live: bytes or UTF-8 strings under `lr:cache:<key>`.
///
/// ```swift
/// let cache = RedisCache(pool: pool)
/// try await cache.set("definition:orders:3", yamlText, ttl: .seconds(300))
/// let hit = try await cache.string("definition:orders:3")
/// ```
public struct RedisCache: Sendable {
    private let pool: RedisPool
    private let keyPrefix: String

    /// A cache on `pool`'s server; `keyPrefix` (default `lr:cache:`) namespaces every key.
    public init(pool: RedisPool, keyPrefix: String = "lr:cache:") {
        self.pool = pool
        self.keyPrefix = keyPrefix
    }

    /// The bytes stored under `key`, or `nil` if missing or expired.
    public func bytes(_ key: String) async throws -> [UInt8]? {
        let reply = try await pool.withConnection { try await $0.command([Array("GET".utf8), Array(storageKey(key).utf8)]) }
        switch try reply.checked(context: "GET") {
        case .null: return nil
        case .string(let bytes): return bytes
        default: throw RedisError(.unexpectedReply, "GET returned \(reply)", context: storageKey(key))
        }
    }

    /// The value under `key` decoded as UTF-8, or `nil` if missing or expired.
    public func string(_ key: String) async throws -> String? {
        try await bytes(key).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Stores `value` under `key`, replacing any value; it expires after `ttl` (at least 1 ms),
    /// or never when `ttl` is `nil`.
    public func set(_ key: String, _ value: [UInt8], ttl: Duration?) async throws {
        var arguments = [Array("SET".utf8), Array(storageKey(key).utf8), value]
        if let ttl {
            let milliseconds = max(1, ttl.wholeMilliseconds)
            arguments += [Array("PX".utf8), Array(String(milliseconds).utf8)]
        }
        _ = try await pool.withConnection { try await $0.command(arguments) }.checked(context: "SET")
    }

    /// Stores the UTF-8 bytes of `value` under `key`, expiring after `ttl` (never when `nil`).
    public func set(_ key: String, _ value: String, ttl: Duration?) async throws {
        try await set(key, Array(value.utf8), ttl: ttl)
    }

    /// Removes `key`; `true` if it was there.
    @discardableResult
    public func delete(_ key: String) async throws -> Bool {
        try await pool.command(["DEL", storageKey(key)]).checked(context: "DEL").integer == 1
    }

    /// The Redis key that holds `key`.
    public func storageKey(_ key: String) -> String { keyPrefix + key }
}
