public import Foundation

/// A token about to be stored: an ``APITokenRecord`` before the store has given it an id.
public struct APITokenDraft: Sendable, Equatable {
    /// The user the token acts for.
    public var owner: String
    /// A label that says what the token is for.
    public var name: String
    /// The role the token grants (`admin`, `operator`, `viewer`).
    public var role: String
    /// The lowercase hex SHA-256 of the token's plaintext.
    public var hash: String
    public var createdAt: Date

    /// A draft with every field given.
    public init(owner: String, name: String, role: String, hash: String, createdAt: Date) {
        self.owner = owner
        self.name = name
        self.role = role
        self.hash = hash
        self.createdAt = createdAt
    }
}
