public import Foundation
public import WorkflowDrivers

/// Turns an `Authorization` header into a ``Principal``: `Bearer lr_…` is an API token, looked up
/// by its hash in an ``APITokenStore``; any other bearer token is a JWT, checked by a ``JWTVerifier``.
///
/// Every refusal is an ``AccessError`` whose ``AccessError/clientMessage`` is the same for all of
/// them (answer `401`), while ``AccessError/code`` keeps the precise reason for logs. A store failure
/// is ``AccessError/storeUnavailable(_:)`` (answer `503`): the caller is not at fault.
///
/// ```swift
/// let authenticator = Authenticator(verifier: try JWTVerifier(configuration: .fromEnvironment()), tokens: store)
/// let principal = try await authenticator.authenticate(authorization: request.headers[.authorization])
/// ```
public struct Authenticator: Sendable {
    /// Checks JWTs.
    public let verifier: JWTVerifier
    /// Holds the API tokens' hashes.
    public let tokens: any APITokenStore
    /// How stale a token's `lastUsedAt` may get before a use rewrites it. Default 60 s: a busy
    /// token costs one write a minute, not one per request.
    public var touchInterval: Duration
    private let clock: @Sendable () -> Date

    /// An authenticator over `verifier` and `tokens`.
    ///
    /// - Parameter clock: The current time, for JWT expiry and `lastUsedAt` (tests pass a fixed one).
    public init(
        verifier: JWTVerifier, tokens: any APITokenStore, touchInterval: Duration = .seconds(60),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.verifier = verifier
        self.tokens = tokens
        self.touchInterval = touchInterval
        self.clock = clock
    }

    /// The caller that `authorization` (the header's value, `nil` when absent) proves.
    ///
    /// - Throws: ``AccessError``: ``AccessError/missingCredentials``, ``AccessError/malformedCredentials(_:)``,
    ///   ``AccessError/invalidToken(_:)``, ``AccessError/revokedOrUnknownToken``, ``AccessError/unknownRole(_:)``,
    ///   or ``AccessError/storeUnavailable(_:)``.
    public func authenticate(authorization: String?) async throws(AccessError) -> Principal {
        let token = try Self.bearerToken(authorization)
        if token.hasPrefix(APIToken.prefix) {
            return try await apiTokenPrincipal(token)
        }
        return try verifier.verify(token, now: clock()).principal
    }

    /// The token of a `Bearer` header (the scheme is case-insensitive, RFC 9110 §11.1).
    static func bearerToken(_ authorization: String?) throws(AccessError) -> String {
        guard let authorization, !authorization.allSatisfy(\.isWhitespace) else { throw .missingCredentials }
        let parts = authorization.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw .malformedCredentials("not a Bearer token") }
        guard !parts[1].contains(where: \.isWhitespace) else { throw .malformedCredentials("whitespace in the token") }
        return String(parts[1])
    }

    private func apiTokenPrincipal(_ token: String) async throws(AccessError) -> Principal {
        guard APIToken.isWellFormed(token) else { throw .malformedCredentials("an lr_ token of the wrong shape") }
        let record: APITokenRecord?
        do {
            record = try await tokens.token(hash: APIToken.hash(token))
        } catch {
            throw .storeUnavailable("\(error)")
        }
        guard let record, record.revokedAt == nil else { throw .revokedOrUnknownToken }
        guard let role = Role(rawValue: record.role) else { throw .unknownRole(record.role) }
        let now = clock()
        let interval = Double(touchInterval.components.seconds)
        if record.lastUsedAt.map({ now.timeIntervalSince($0) >= interval }) ?? true {
            // Best effort: a failed write of last_used_at must not refuse a valid token.
            try? await tokens.touch(id: record.id, at: now)
        }
        return Principal(subject: record.owner, role: role, credential: .apiToken(id: record.id))
    }
}
