import Foundation
public import WorkflowDrivers

/// Distributed locks with fencing tokens, over Redis.
///
/// Keys (with the default prefix `lr:`): `lr:lock:{key}` holds the owner while the lock is held
/// (`SET NX PX`), `lr:fence:{key}` is the fencing counter, which never expires. The braces are a
/// Redis Cluster hash tag, so both keys of one lock live in the same slot.
///
/// - Acquire is one script: `SET lock owner NX PX ttl`, and only if that succeeded `INCR fence`;
///   so tokens grow strictly per key and a loser never receives one.
/// - Renew is compare-and-`PEXPIRE`, release compare-and-`DEL`: only the owner that took the lock
///   can extend or free it.
///
/// Work done once and then marked as done takes and releases its lock together with a marker
/// (``acquire(_:ttlMilliseconds:unlessMarked:)``). See docs/redis.md. For long work, use ``LockWatchdog``.
public struct RedisLockService: LockService {
    static let acquireScript = RedisScript("""
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
          return redis.call('INCR', KEYS[2])
        end
        return false
        """)
    static let renewScript = RedisScript("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """)
    static let releaseScript = RedisScript("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """)

    let pool: RedisPool
    let keyPrefix: String

    /// Locks on `pool`'s server; `keyPrefix` (default `lr:`) namespaces every key.
    public init(pool: RedisPool, keyPrefix: String = "lr:") {
        self.pool = pool
        self.keyPrefix = keyPrefix
    }

    /// Takes `key` for `ttlMilliseconds` with a new fencing token, or returns `nil` if it is held.
    public func acquire(_ key: String, ttlMilliseconds: Int64) async throws -> LockGrant? {
        try Self.validate(ttlMilliseconds)
        let owner = UUID.systemRandom().uuidString
        let reply = try await pool.evaluate(
            Self.acquireScript, keys: [lockKey(key), fenceKey(key)], arguments: [owner, String(ttlMilliseconds)])
        if reply.isNull { return nil }
        guard let token = reply.integer else {
            throw RedisError(.unexpectedReply, "acquire returned \(reply)", context: lockKey(key))
        }
        return LockGrant(key: key, owner: owner, fencingToken: token)
    }

    /// Extends `grant` to `ttlMilliseconds` from now; `false` if it expired or was taken over.
    public func renew(_ grant: LockGrant, ttlMilliseconds: Int64) async throws -> Bool {
        try Self.validate(ttlMilliseconds)
        let reply = try await pool.evaluate(
            Self.renewScript, keys: [lockKey(grant.key)], arguments: [grant.owner, String(ttlMilliseconds)])
        return reply.integer == 1
    }

    /// Frees `grant` if it is still the holder; otherwise does nothing.
    public func release(_ grant: LockGrant) async throws {
        _ = try await releaseIfHeld(grant)
    }

    /// Releases `grant` if it is still the holder; `false` when it had expired or been taken over.
    public func releaseIfHeld(_ grant: LockGrant) async throws -> Bool {
        let reply = try await pool.evaluate(Self.releaseScript, keys: [lockKey(grant.key)], arguments: [grant.owner])
        return reply.integer == 1
    }

    /// Tries to take every key in `keys` in one round trip (a pipeline of acquire scripts);
    /// the result holds a grant, or `nil` where the key was held, in the order of `keys`.
    public func acquire(_ keys: [String], ttlMilliseconds: Int64) async throws -> [LockGrant?] {
        try Self.validate(ttlMilliseconds)
        let owners = keys.map { _ in UUID.systemRandom().uuidString }
        let calls = zip(keys, owners).map { key, owner in
            (keys: [lockKey(key), fenceKey(key)], arguments: [owner, String(ttlMilliseconds)])
        }
        let replies = try await pool.withConnection { try await $0.evaluate(Self.acquireScript, pipelined: calls) }
        return try zip(keys, zip(owners, replies)).map { key, pair throws(RedisError) -> LockGrant? in
            let (owner, reply) = pair
            switch try reply.checked(context: lockKey(key)) {
            case .null: return nil
            case .integer(let token): return LockGrant(key: key, owner: owner, fencingToken: token)
            default: throw RedisError(.unexpectedReply, "acquire returned \(reply)", context: lockKey(key))
            }
        }
    }

    /// Releases every grant still held in one round trip; `true` where it was released.
    public func releaseIfHeld(_ grants: [LockGrant]) async throws -> [Bool] {
        let calls = grants.map { (keys: [lockKey($0.key)], arguments: [$0.owner]) }
        let replies = try await pool.withConnection { try await $0.evaluate(Self.releaseScript, pipelined: calls) }
        return try replies.map { reply throws(RedisError) in try reply.checked(context: "release").integer == 1 }
    }

    /// The key that holds the lock's owner.
    public func lockKey(_ key: String) -> String { "\(keyPrefix)lock:{\(key)}" }

    /// The key of the lock's fencing counter.
    public func fenceKey(_ key: String) -> String { "\(keyPrefix)fence:{\(key)}" }

    static func validate(_ ttlMilliseconds: Int64) throws(RedisError) {
        guard ttlMilliseconds > 0 else {
            throw RedisError(.invalidArgument, "a lock's TTL must be positive, not \(ttlMilliseconds) ms")
        }
    }
}
