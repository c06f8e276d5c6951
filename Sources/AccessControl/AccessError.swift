/// Why a caller was not let in, or why access control could not be set up: the module's one error.
///
/// Every authentication failure is meant to reach the client as the same `401` with
/// ``clientMessage``; ``code`` and ``description`` keep the precise reason for logs and metrics.
///
/// ```swift
/// do {
///     principal = try await authenticator.authenticate(authorization: header)
/// } catch {
///     logger.info("refused", metadata: ["lr.auth_error": "\(error.code)"])
///     return unauthorized(error.clientMessage)
/// }
/// ```
public enum AccessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `Authorization` header, or an empty one.
    case missingCredentials
    /// The header is not `Bearer <token>`, or the token is not shaped like a JWT or an API token.
    case malformedCredentials(String)
    /// A JWT was refused (the reason says which check failed).
    case invalidToken(JWTRefusal)
    /// An API token that is well formed but unknown or revoked.
    case revokedOrUnknownToken
    /// A credential whose role is none of ``Role`` (an API token stored with another role).
    case unknownRole(String)
    /// Authenticated, but the role lacks the permission.
    case forbidden(Permission)
    /// The configuration is unusable (bad key, short secret, unknown algorithm); the context says which.
    case invalidConfiguration(String)
    /// The token store failed; the request could not be checked (not the caller's fault).
    case storeUnavailable(String)

    /// A stable identifier for logs and metrics (`invalid_token.expired`, `missing_credentials`).
    public var code: String {
        switch self {
        case .missingCredentials: "missing_credentials"
        case .malformedCredentials: "malformed_credentials"
        case .invalidToken(let refusal): "invalid_token.\(refusal.code)"
        case .revokedOrUnknownToken: "revoked_or_unknown_token"
        case .unknownRole: "unknown_role"
        case .forbidden: "forbidden"
        case .invalidConfiguration: "invalid_configuration"
        case .storeUnavailable: "store_unavailable"
        }
    }

    /// What a client may be told: the same for every authentication failure, so that a caller
    /// probing tokens learns nothing from the answer.
    public var clientMessage: String {
        switch self {
        case .forbidden: "this credential does not allow the operation"
        case .storeUnavailable, .invalidConfiguration: "authentication is unavailable"
        default: "missing or invalid credentials"
        }
    }

    /// Whether the failure is the caller's (a `401`), as opposed to a refusal of an authenticated
    /// caller (``forbidden(_:)``, a `403`) or a server problem (a `503` or `500`).
    public var isAuthenticationFailure: Bool {
        switch self {
        case .forbidden, .storeUnavailable, .invalidConfiguration: false
        default: true
        }
    }

    /// The precise reason, for logs (never sent to clients).
    public var description: String {
        switch self {
        case .missingCredentials: "no Authorization header"
        case .malformedCredentials(let context): "malformed credentials: \(context)"
        case .invalidToken(let refusal): "JWT refused: \(refusal)"
        case .revokedOrUnknownToken: "API token unknown or revoked"
        case .unknownRole(let role): "credential has unknown role \(role)"
        case .forbidden(let permission): "role lacks permission \(permission.rawValue)"
        case .invalidConfiguration(let context): "access control configuration: \(context)"
        case .storeUnavailable(let context): "API token store unavailable: \(context)"
        }
    }
}
