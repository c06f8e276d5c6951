/// An authenticated caller: who they are, their role, and how they proved it.
///
/// Stand-in with the exact shape of `AccessControl.Principal` (branch `auth`, not yet mergeable
/// here: it conflicts with main in the drivers). Once `auth` is on main, this file, `Role.swift`
/// and `Permission.swift` go and the module imports `AccessControl` instead.
public struct Principal: Sendable, Hashable {
    /// How the caller authenticated.
    public enum Credential: Sendable, Hashable {
        /// A JSON Web Token.
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
        role.permissions.contains(permission)
    }

    /// The key to count this caller's requests under: `token:<id>` for an API token,
    /// `sub:<subject>` for a JWT.
    public var rateLimitKey: String {
        switch credential {
        case .jwt: "sub:\(subject)"
        case .apiToken(let id): "token:\(id)"
        }
    }
}
