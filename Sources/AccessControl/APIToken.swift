import Crypto
public import Foundation
public import WorkflowDrivers

/// LazyRabbit's own bearer tokens: `lr_` followed by 43 base64url characters (32 random bytes).
/// Only the lowercase hex SHA-256 of the plaintext is stored; the plaintext is shown once.
///
/// ```swift
/// let (plaintext, record) = try await APIToken.issue(owner: "alice", name: "ci", role: .operator, in: store)
/// print(plaintext)   // lr_3q2…; give it to the client now, it cannot be shown again
/// ```
public enum APIToken {
    /// What every API token starts with (it tells an API token from a JWT).
    public static let prefix = "lr_"
    /// The number of characters after the prefix.
    public static let bodyLength = 43

    /// A new random token and its hash.
    public static func generate() -> (plaintext: String, hash: String) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let plaintext = prefix + Base64URL.encode(bytes)
        return (plaintext, hash(plaintext))
    }

    /// The lowercase hex SHA-256 of `plaintext`: what a store keeps and looks tokens up by.
    public static func hash(_ plaintext: String) -> String {
        SHA256.hash(data: Data(plaintext.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether `text` has the shape of an API token (the prefix and 43 canonical base64url characters).
    public static func isWellFormed(_ text: String) -> Bool {
        guard text.hasPrefix(prefix) else { return false }
        let body = text.dropFirst(prefix.count)
        return body.utf8.count == bodyLength && Base64URL.decode(body)?.count == 32
    }

    /// Generates a token for `owner` and stores its hash in `store`.
    ///
    /// - Returns: The plaintext (shown to the user once, never stored) and the stored record.
    /// - Throws: ``AccessError/storeUnavailable(_:)`` when the store fails.
    public static func issue(
        owner: String, name: String, role: Role, in store: any APITokenStore, now: Date = Date()
    ) async throws(AccessError) -> (plaintext: String, record: APITokenRecord) {
        let (plaintext, hash) = generate()
        do {
            let record = try await store.create(APITokenDraft(owner: owner, name: name, role: role.rawValue, hash: hash, createdAt: now))
            return (plaintext, record)
        } catch {
            throw .storeUnavailable("\(error)")
        }
    }
}
