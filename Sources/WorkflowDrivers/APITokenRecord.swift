public import Foundation

/// One API token as stored: never its plaintext, only the SHA-256 hash of it (hex).
public struct APITokenRecord: Sendable, Codable, Equatable {
    /// The store's id for the token, shown to users (`lazyrabbit admin tokens revoke ID`).
    public var id: String
    /// The user the token acts for.
    public var owner: String
    /// A label that says what the token is for (`ci`, `grafana`).
    public var name: String
    /// The role the token grants (`admin`, `operator`, `viewer`); interpreted by `AccessControl`.
    public var role: String
    /// The lowercase hex SHA-256 of the token's plaintext.
    public var hash: String
    public var createdAt: Date
    /// When the token last authenticated a request (stores may record this coarsely).
    public var lastUsedAt: Date?
    /// When the token was revoked; a revoked token never authenticates again.
    public var revokedAt: Date?

    /// A record with every field given.
    public init(
        id: String, owner: String, name: String, role: String, hash: String, createdAt: Date, lastUsedAt: Date? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.owner = owner
        self.name = name
        self.role = role
        self.hash = hash
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// The same record with the id a store assigned to `draft`.
    public init(id: String, _ draft: APITokenDraft) {
        self.init(id: id, owner: draft.owner, name: draft.name, role: draft.role, hash: draft.hash, createdAt: draft.createdAt)
    }
}
