/// Who is calling: the authenticated subject, its role and how it proved who it is.
///
/// ```swift
/// let principal = try await authenticator.authenticate(authorization: request.headers[.authorization])
/// guard principal.can(.startExecutions) else { throw AccessError.forbidden(.startExecutions) }
/// ```
public struct Principal: Sendable, Hashable {
    /// How the caller authenticated.
    public enum Credential: Sendable, Hashable {
        /// A JSON Web Token verified by ``JWTVerifier``.
        case jwt
        /// A LazyRabbit API token (`lr_…`), with its store id.
        case apiToken(id: String)
    }

    /// The user: a JWT's `sub`, or an API token's owner.
    public var subject: String
    /// What the caller may do.
    public var role: Role
    /// How the caller authenticated.
    public var credential: Credential

    /// A principal with every field given.
    public init(subject: String, role: Role, credential: Credential) {
        self.subject = subject
        self.role = role
        self.credential = credential
    }

    /// Whether the caller's role grants `permission`.
    public func can(_ permission: Permission) -> Bool {
        role.grants(permission)
    }

    /// The key to count this caller's requests under: `token:<id>` for an API token (each token
    /// has its own budget), `sub:<subject>` for a JWT (every token of a subject shares one).
    public var rateLimitKey: String {
        switch credential {
        case .jwt: "sub:\(subject)"
        case .apiToken(let id): "token:\(id)"
        }
    }
}
