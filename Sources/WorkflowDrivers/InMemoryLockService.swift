import Foundation
import Synchronization

/// Locks for one process, with the same fencing semantics as the Redis implementation.
public final class InMemoryLockService: LockService {
    private struct Held {
        var owner: String
        var expiresAt: ContinuousClock.Instant
    }

    private struct State {
        var held: [String: Held] = [:]
        var tokens: [String: Int64] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public func acquire(_ key: String, ttlMilliseconds: Int64) async throws -> LockGrant? {
        let now = ContinuousClock.now
        return state.withLock { state in
            if let held = state.held[key], held.expiresAt > now { return nil }
            let token = (state.tokens[key] ?? 0) + 1
            state.tokens[key] = token
            let owner = UUID.systemRandom().uuidString
            state.held[key] = Held(owner: owner, expiresAt: now.advanced(by: .milliseconds(ttlMilliseconds)))
            return LockGrant(key: key, owner: owner, fencingToken: token)
        }
    }

    public func renew(_ grant: LockGrant, ttlMilliseconds: Int64) async throws -> Bool {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard let held = state.held[grant.key], held.owner == grant.owner, held.expiresAt > now else { return false }
            state.held[grant.key]?.expiresAt = now.advanced(by: .milliseconds(ttlMilliseconds))
            return true
        }
    }

    public func release(_ grant: LockGrant) async throws {
        state.withLock { state in
            if state.held[grant.key]?.owner == grant.owner { state.held[grant.key] = nil }
        }
    }
}
