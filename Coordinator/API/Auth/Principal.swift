/// An authenticated caller: who they are, their role, and the key their requests are rate
/// limited under.
///
/// Stand-in for `AccessControl.Principal` (branch `auth`): once that module lands, this file
/// goes and the API uses its type directly.
public struct Principal: Sendable, Equatable {
    /// The user (a JWT's `sub`, an API token's owner).
    public var subject: String
    /// What the caller may do.
    public var role: Role
    /// The rate-limit bucket (per token or per user).
    public var rateLimitKey: String

    /// A principal; the rate-limit key defaults to `user:<subject>`.
    public init(subject: String, role: Role, rateLimitKey: String? = nil) {
        self.subject = subject
        self.role = role
        self.rateLimitKey = rateLimitKey ?? "user:\(subject)"
    }

    /// Whether the role grants `permission`.
    public func can(_ permission: Permission) -> Bool {
        role.permissions.contains(permission)
    }
}
