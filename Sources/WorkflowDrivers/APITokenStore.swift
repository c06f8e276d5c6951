public import Foundation

/// Where API tokens are kept, by the SHA-256 hash of their plaintext only (the plaintext is shown
/// once, when the token is created, and never stored). Implementations: ``InMemoryAPITokenStore``
/// (tests), `SQLiteAPITokenStore` (embedded mode), `PostgresAPITokenStore` (distributed mode); all
/// pass one conformance suite.
///
/// Hashing and token generation live in the `AccessControl` module: a store only keeps records.
///
/// ```swift
/// let record = try await store.create(APITokenDraft(owner: "alice", name: "ci", role: "operator", hash: hash, createdAt: .now))
/// let found = try await store.token(hash: hash)   // nil once revoked
/// ```
public protocol APITokenStore: Sendable {
    /// Stores a new token and returns it with the id the store assigned.
    ///
    /// - Throws: ``StoreError/backend(_:)`` when the hash is already stored or the backend fails.
    func create(_ draft: APITokenDraft) async throws -> APITokenRecord

    /// The token whose hash is `hash`, or `nil` when there is none or it is revoked.
    func token(hash: String) async throws -> APITokenRecord?

    /// Every token (revoked ones too) of `owner`, or of everyone when `owner` is `nil`, oldest first.
    func list(owner: String?) async throws -> [APITokenRecord]

    /// Revokes the token `id`. Returns `false` when there is no such token or it was revoked already.
    func revoke(id: String) async throws -> Bool

    /// Records that token `id` was used at `date` (its `lastUsedAt`); an unknown id is ignored.
    func touch(id: String, at date: Date) async throws
}
