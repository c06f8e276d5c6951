public import WorkflowDrivers

/// Keeps a lock alive while long work runs: renews the grant every third of its TTL and, if a
/// renewal is refused (or cannot reach the server before the lease runs out), cancels the work
/// and throws ``RedisError/Code/lockLost``. Works with any ``LockService``.
///
/// ```swift
/// let watchdog = LockWatchdog(locks: RedisLockService(pool: pool))
/// try await watchdog.withLock("execution:42", ttlMilliseconds: 10_000) { grant in
///     try await store.apply(update, fencingToken: grant.fencingToken)
/// }
/// ```
public struct LockWatchdog: Sendable {
    private let locks: any LockService

    /// A watchdog over `locks` (a ``RedisLockService``, or any other ``LockService``).
    public init(locks: any LockService) {
        self.locks = locks
    }

    private enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case lost
    }

    /// Takes `key`, runs `body` with the grant while renewing it, then releases it. Pass the
    /// grant's fencing token along with every write the body makes, so that a store can refuse
    /// the writes of a holder whose lock was lost.
    ///
    /// - Throws: ``RedisError/Code/lockUnavailable`` if someone holds the lock,
    ///   ``RedisError/Code/lockLost`` if it was lost while `body` ran (the body is cancelled),
    ///   or whatever `body` throws.
    public func withLock<Value: Sendable>(
        _ key: String,
        ttlMilliseconds: Int64,
        _ body: @escaping @Sendable (LockGrant) async throws -> Value
    ) async throws -> Value {
        guard let grant = try await locks.acquire(key, ttlMilliseconds: ttlMilliseconds) else {
            throw RedisError(.lockUnavailable, "the lock is held by someone else", context: key)
        }
        return try await hold(grant, ttlMilliseconds: ttlMilliseconds, body)
    }

    /// Runs `body` with `grant`, a lock already taken, while renewing it; then releases it —
    /// through `releaseAfterSuccess` when `body` returned (to release together with other work,
    /// such as marking the work done), through the lock service's release otherwise.
    ///
    /// - Throws: ``RedisError/Code/lockLost`` if the lock was lost while `body` ran (the body is
    ///   cancelled), or whatever `body` throws.
    public func hold<Value: Sendable>(
        _ grant: LockGrant,
        ttlMilliseconds: Int64,
        releaseAfterSuccess: (@Sendable (LockGrant) async throws -> Void)? = nil,
        _ body: @escaping @Sendable (LockGrant) async throws -> Value
    ) async throws -> Value {
        let outcome: Outcome<Value>
        do {
            outcome = try await withThrowingTaskGroup(of: Outcome<Value>.self) { group in
                group.addTask { .finished(try await body(grant)) }
                group.addTask {
                    try await keepAlive(grant, ttlMilliseconds: ttlMilliseconds)
                    return .lost
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch {
            try? await locks.release(grant)
            throw error
        }
        switch outcome {
        case .finished(let value):
            // The work is done: a release that cannot reach the server is not worth failing it
            // for, since the lock expires by itself within its TTL.
            if let releaseAfterSuccess {
                try? await releaseAfterSuccess(grant)
            } else {
                try? await locks.release(grant)
            }
            return value
        case .lost:
            throw RedisError(.lockLost, "the lock expired or was taken over while the work ran", context: grant.key)
        }
    }

    /// Renews until cancelled (throws `CancellationError`) or the lock is lost (returns).
    private func keepAlive(_ grant: LockGrant, ttlMilliseconds: Int64) async throws {
        let clock = ContinuousClock()
        let interval = Duration.milliseconds(max(1, ttlMilliseconds / 3))
        var leaseEnd = clock.now + .milliseconds(ttlMilliseconds)
        while true {
            try await clock.sleep(for: interval)
            let attempt = clock.now
            do {
                guard try await locks.renew(grant, ttlMilliseconds: ttlMilliseconds) else { return }
                leaseEnd = attempt + .milliseconds(ttlMilliseconds)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // The server may be briefly unreachable: keep trying while the lease may still hold.
                if clock.now >= leaseEnd { return }
            }
        }
    }
}
