public import Foundation
public import WorkflowDrivers
import DriverSupport

/// The ``PayloadStore`` the coordinator and its workers share: each payload under
/// `<prefix>payload:<hex digest>`, written with `SET NX` (stored once) and a time to live
/// (default 7 days, longer than any task waits in a queue).
///
/// ```swift
/// let payloads = RedisPayloadStore(pool: pool, keyPrefix: "lr:")
/// let reference = try await payloads.put(body)
/// ```
public struct RedisPayloadStore: PayloadStore {
    private let pool: RedisPool
    private let keyPrefix: String
    private let ttl: Duration

    /// A store on `pool`'s server; `keyPrefix` must match the workers' `redisKeyPrefix` (default `lr:`).
    public init(pool: RedisPool, keyPrefix: String = "lr:", ttl: Duration = .seconds(7 * 86_400)) {
        self.pool = pool
        self.keyPrefix = keyPrefix
        self.ttl = ttl
    }

    public func put(_ bytes: Data) async throws -> String {
        let reference = PayloadReference.of(bytes)
        let milliseconds = max(1, ttl.wholeMilliseconds)
        let key = storageKey(reference)
        let arguments = [Array("SET".utf8), Array(key.utf8), Array(bytes), Array("NX".utf8), Array("PX".utf8), Array(String(milliseconds).utf8)]
        // NX: a payload already stored keeps its bytes (the same ones, by construction) and its TTL.
        _ = try await pool.withConnection { try await $0.command(arguments) }.checked(context: key)
        return reference
    }

    public func get(_ reference: String) async throws -> Data? {
        let key = storageKey(reference)
        let reply = try await pool.withConnection { try await $0.command([Array("GET".utf8), Array(key.utf8)]) }
        switch try reply.checked(context: key) {
        case .null: return nil
        case .string(let bytes): return Data(bytes)
        default: throw RedisError(.unexpectedReply, "GET returned \(reply)", context: key)
        }
    }

    /// The Redis key of `reference` (`<prefix>payload:<hex>`).
    public func storageKey(_ reference: String) -> String {
        keyPrefix + "payload:" + (PayloadReference.digest(of: reference) ?? reference)
    }
}
