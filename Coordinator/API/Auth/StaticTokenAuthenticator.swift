public import AccessControl
/// Bearer tokens known in advance, each mapped to a principal: for tests and `lazyrabbit dev`
/// without a JWT secret.
///
/// ```swift
/// let authenticator = StaticTokenAuthenticator(["dev-token": Principal(subject: "dev", role: .admin, credential: .apiToken(id: "dev"))])
/// ```
public struct StaticTokenAuthenticator: RequestAuthenticating {
    /// Why a header was refused.
    public struct Refusal: Error, Sendable {}

    private let tokens: [String: Principal]

    /// An authenticator accepting exactly `tokens`.
    public init(_ tokens: [String: Principal]) {
        self.tokens = tokens
    }

    public func authenticate(authorization: String?) async throws -> Principal {
        let parts = authorization?.split(separator: " ", maxSplits: 1) ?? []
        guard parts.count == 2, parts[0].lowercased() == "bearer", let principal = tokens[String(parts[1])] else { throw Refusal() }
        return principal
    }
}
