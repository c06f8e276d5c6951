/// Mutual exclusion across workers, with fencing: every grant carries a token larger than any
/// granted before for that key, so a holder whose lock expired can be recognised (and refused)
/// when it writes late. Implementations: ``InMemoryLockService`` (embedded), Redis (distributed).
public protocol LockService: Sendable {
    /// Takes `key` for `ttlMilliseconds` unless someone holds it; `nil` when it is held.
    func acquire(_ key: String, ttlMilliseconds: Int64) async throws -> LockGrant?
    /// Extends a grant that is still held; `false` when it expired or was taken over.
    func renew(_ grant: LockGrant, ttlMilliseconds: Int64) async throws -> Bool
    /// Releases a grant if it is still the current holder (compare-and-delete).
    func release(_ grant: LockGrant) async throws
}

/// A held lock.
public struct LockGrant: Sendable, Equatable {
    public var key: String
    /// Unique per grant (random in Redis): only the holder can renew or release.
    public var owner: String
    /// Monotonic per key: larger means newer.
    public var fencingToken: Int64

    public init(key: String, owner: String, fencingToken: Int64) {
        self.key = key
        self.owner = owner
        self.fencingToken = fencingToken
    }
}
