import Foundation
public import WorkflowDrivers

/// What ``RedisLockService/acquire(_:ttlMilliseconds:unlessMarked:)`` found.
public enum MarkedLockAcquisition: Sendable, Equatable {
    /// The lock is ours, with a new fencing token.
    case granted(LockGrant)
    /// Someone else holds the lock.
    case held
    /// The work the lock guards is marked as done; the lock was not taken.
    case marked
}

/// Locks for work that is done once and then marked as done — a worker's task: take the lock
/// unless the "done" marker exists, and set the marker while releasing, each in one round trip
/// instead of two. The marker `<prefix><kind>:{key}` shares the lock's hash tag, so both scripts
/// stay within one Redis Cluster slot.
extension RedisLockService {
    static let acquireUnlessMarkedScript = RedisScript("""
        if redis.call('EXISTS', KEYS[3]) == 1 then
          return -1
        end
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
          return redis.call('INCR', KEYS[2])
        end
        return false
        """)
    static let releaseMarkingScript = RedisScript("""
        redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """)

    /// Takes `key` for `ttlMilliseconds` with a new fencing token unless the marker of `kind` is
    /// set for it (then nothing changes and the answer is ``MarkedLockAcquisition/marked``).
    public func acquire(_ key: String, ttlMilliseconds: Int64, unlessMarked kind: String) async throws -> MarkedLockAcquisition {
        try Self.validate(ttlMilliseconds)
        let owner = UUID.systemRandom().uuidString
        let reply = try await pool.evaluate(
            Self.acquireUnlessMarkedScript, keys: [lockKey(key), fenceKey(key), markerKey(kind, key)],
            arguments: [owner, String(ttlMilliseconds)])
        switch reply {
        case .null: return .held
        case .integer(-1): return .marked
        case .integer(let token): return .granted(LockGrant(key: key, owner: owner, fencingToken: token))
        default: throw RedisError(.unexpectedReply, "acquire returned \(reply)", context: lockKey(key))
        }
    }

    /// Sets the marker of `kind` for the grant's key to `value` for `retentionMilliseconds`, and
    /// releases the grant if it is still the holder; `false` when it had expired or been taken over
    /// (the marker is set either way).
    @discardableResult
    public func release(_ grant: LockGrant, marking kind: String, value: String, retentionMilliseconds: Int64) async throws -> Bool {
        let reply = try await pool.evaluate(
            Self.releaseMarkingScript, keys: [lockKey(grant.key), markerKey(kind, grant.key)],
            arguments: [grant.owner, value, String(retentionMilliseconds)])
        return reply.integer == 1
    }

    /// The key of the marker of `kind` for `key`.
    public func markerKey(_ kind: String, _ key: String) -> String { "\(keyPrefix)\(kind):{\(key)}" }
}
