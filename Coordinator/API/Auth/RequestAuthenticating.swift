/// Turns an `Authorization` header value into a ``Principal``. The API's only view of
/// authentication, so the real verifier (module `AccessControl`: JWT HS256/ES256, API tokens)
/// plugs in with a one-line conformance.
public protocol RequestAuthenticating: Sendable {
    /// The caller behind `authorization` (the whole header value, e.g. `Bearer eyJ...`).
    ///
    /// - Throws: any error when the credentials are missing, malformed, expired or unknown;
    ///   the API answers 401 without saying which.
    func principal(authorization: String) async throws -> Principal
}
