public import AccessControl

/// Turns an `Authorization` header value into a ``Principal``: the API's only view of
/// authentication. Its requirement is `AccessControl.Authenticator`'s own method, so the real
/// verifier (JWT HS256/ES256, API tokens) conforms with an empty extension:
/// `extension Authenticator: RequestAuthenticating {}`.
public protocol RequestAuthenticating: Sendable {
    /// The caller that `authorization` (the header's whole value, `nil` when absent) proves.
    ///
    /// - Throws: any error when the credentials are missing, malformed, expired or unknown; the
    ///   API answers 401 without saying which.
    func authenticate(authorization: String?) async throws -> Principal
}

extension Authenticator: RequestAuthenticating {}
