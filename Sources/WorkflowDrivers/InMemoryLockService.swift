import Synchronization

/// Locks for one process, with the same fencing semantics as the Redis implementation.
///
/// One counter numbers every grant: its value is both the fencing token (larger than any token
/// granted before, for this key or any other) and the owner (unique per grant; nothing outside the
/// process can present one). Only held locks are kept, so memory does not grow with the number
/// of keys ever locked.
public final class InMemoryLockService: LockService {
    private struct Held {
        var owner: String
        var expiresAt: ContinuousClock.Instant
    }

    private struct State {
        var held: [String: Held] = [:]
        var lastToken: Int64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func acquire(_ key: String, ttlMilliseconds: Int64) async throws -> LockGrant? {
        let now = ContinuousClock.now
        return state.withLock { state in
            if let held = state.held[key], held.expiresAt > now { return nil }
            state.lastToken += 1
            let owner = String(state.lastToken)
            state.held[key] = Held(owner: owner, expiresAt: now.advanced(by: .milliseconds(ttlMilliseconds)))
            return LockGrant(key: key, owner: owner, fencingToken: state.lastToken)
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

    /// How many locks are held or expired but not yet taken over (for tests of the bound on memory).
    var keptCount: Int { state.withLock { $0.held.count } }
}
