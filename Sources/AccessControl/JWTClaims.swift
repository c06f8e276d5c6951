public import Foundation

/// The claims LazyRabbit reads from a JSON Web Token (and writes, with ``JWTSigner``). Dates are
/// whole seconds since 1970 on the wire (`NumericDate`).
public struct JWTClaims: Sendable, Equatable {
    /// `sub`: the user.
    public var subject: String
    /// The role claim (``JWTConfiguration/roleClaim``, `role` by default).
    public var role: Role
    /// `exp`: the token is refused from this moment on (plus the leeway).
    public var expiresAt: Date?
    /// `nbf`: the token is refused before this moment (minus the leeway).
    public var notBefore: Date?
    /// `iat`: when the token was issued (informative).
    public var issuedAt: Date?
    /// `iss`: who issued the token.
    public var issuer: String?
    /// `aud`: whom the token is for (one value is written as a string, several as an array).
    public var audience: [String]

    /// Claims with every field given.
    public init(
        subject: String, role: Role, expiresAt: Date? = nil, notBefore: Date? = nil, issuedAt: Date? = nil, issuer: String? = nil,
        audience: [String] = []
    ) {
        self.subject = subject
        self.role = role
        self.expiresAt = expiresAt
        self.notBefore = notBefore
        self.issuedAt = issuedAt
        self.issuer = issuer
        self.audience = audience
    }

    /// The principal these claims describe.
    public var principal: Principal {
        Principal(subject: subject, role: role, credential: .jwt)
    }
}
