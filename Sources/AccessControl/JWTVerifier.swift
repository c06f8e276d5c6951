import Crypto
public import Foundation

/// Verifies compact JWS tokens (RFC 7515/7519) signed with HS256 or ES256, strictly: anything not
/// proven acceptable is refused, each refusal with its own ``JWTRefusal``.
///
/// In order: three canonical base64url parts; a JSON header whose `alg` is in the allow-list
/// (never `none`) and has a key, without `crit`; the signature (HMAC compared in constant time;
/// ECDSA as JOSE's 64 raw bytes, never DER); then the payload's claims — `exp` (required unless
/// configured otherwise) and `nbf` within the leeway, `iss` and `aud` when configured, a non-empty
/// `sub`, and a role claim naming a ``Role``.
///
/// ```swift
/// let verifier = try JWTVerifier(configuration: .fromEnvironment())
/// let claims = try verifier.verify(token)
/// let principal = claims.principal
/// ```
public struct JWTVerifier: Sendable {
    /// The configuration the verifier was made with.
    public let configuration: Configuration
    private let hmacKey: SymmetricKey?
    private let publicKey: P256.Signing.PublicKey?

    /// A verifier for `configuration`.
    ///
    /// - Throws: ``AccessError/invalidConfiguration(_:)`` when the secret is too short or the PEM
    ///   is not a P-256 public key.
    public init(configuration: Configuration) throws(AccessError) {
        try configuration.validate()
        self.configuration = configuration
        hmacKey = configuration.hmacSecret.map { SymmetricKey(data: $0) }
        if let pem = configuration.es256PublicKeyPEM {
            do {
                publicKey = try P256.Signing.PublicKey(pemRepresentation: pem)
            } catch {
                throw .invalidConfiguration("the ES256 public key is not a P-256 public key in PEM: \(error)")
            }
        } else {
            publicKey = nil
        }
    }

    /// The token's claims, if every check passes.
    ///
    /// - Parameter now: The time to check `exp` and `nbf` against.
    /// - Throws: ``AccessError/invalidToken(_:)`` with the first check that failed.
    public func verify(_ token: String, now: Date = Date()) throws(AccessError) -> JWTClaims {
        try claims(of: token, now: now)
    }

    private func claims(of token: String, now: Date) throws(AccessError) -> JWTClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .invalidToken(.malformed("\(parts.count) parts, not 3")) }
        guard let headerBytes = Base64URL.decode(parts[0]), let payloadBytes = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2])
        else { throw .invalidToken(.malformed("a part is not canonical unpadded base64url")) }
        let header: JWTHeader
        do {
            header = try JSONDecoder().decode(JWTHeader.self, from: headerBytes)
        } catch {
            throw .invalidToken(.malformed("the header is not a JSON object with a string alg"))
        }
        let algorithm = try allowedAlgorithm(header.alg)
        guard header.crit == nil else { throw .invalidToken(.unsupportedCriticalHeader) }
        try checkSignature(signature, of: Data((parts[0] + "." + parts[1]).utf8), algorithm: algorithm)
        return try checkClaims(payloadBytes, now: now)
    }

    private func allowedAlgorithm(_ name: String) throws(AccessError) -> JWTAlgorithm {
        guard let algorithm = JWTAlgorithm(rawValue: name), configuration.allowedAlgorithms.contains(algorithm) else {
            throw .invalidToken(.algorithmNotAllowed(name))
        }
        return algorithm
    }

    private func checkSignature(_ signature: Data, of signed: Data, algorithm: JWTAlgorithm) throws(AccessError) {
        switch algorithm {
        case .hs256:
            guard let hmacKey else { throw .invalidToken(.algorithmNotConfigured(.hs256)) }
            guard signature.count == SHA256.byteCount else { throw .invalidToken(.badSignatureEncoding) }
            guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signed, using: hmacKey) else {
                throw .invalidToken(.badSignature)
            }
        case .es256:
            guard let publicKey else { throw .invalidToken(.algorithmNotConfigured(.es256)) }
            guard signature.count == 64, let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else {
                throw .invalidToken(.badSignatureEncoding)
            }
            guard publicKey.isValidSignature(ecdsa, for: signed) else { throw .invalidToken(.badSignature) }
        }
    }

    private func checkClaims(_ bytes: Data, now: Date) throws(AccessError) -> JWTClaims {
        let decoder = JSONDecoder()
        decoder.userInfo[JWTPayload.roleClaimKey] = configuration.roleClaim
        let payload: JWTPayload
        do {
            payload = try decoder.decode(JWTPayload.self, from: bytes)
        } catch {
            throw .invalidToken(.malformed("the payload is not a JSON object with claims of the registered types"))
        }
        let leeway = Double(configuration.leeway.components.seconds)
        let instant = now.timeIntervalSince1970
        if let exp = payload.exp {
            guard instant < exp + leeway else { throw .invalidToken(.expired) }
        } else if configuration.requireExpiration {
            throw .invalidToken(.missingExpiration)
        }
        if let nbf = payload.nbf, instant + leeway < nbf { throw .invalidToken(.notYetValid) }
        if let issuer = configuration.issuer, payload.iss != issuer { throw .invalidToken(.wrongIssuer) }
        if let audience = configuration.audience, !(payload.aud ?? []).contains(audience) { throw .invalidToken(.wrongAudience) }
        guard let subject = payload.sub, !subject.isEmpty else { throw .invalidToken(.missingSubject) }
        guard let roleName = payload.role else { throw .invalidToken(.missingRole) }
        guard let role = Role(rawValue: roleName) else { throw .invalidToken(.unknownRole(roleName)) }
        return JWTClaims(
            subject: subject, role: role, expiresAt: payload.exp.map(Date.init(timeIntervalSince1970:)),
            notBefore: payload.nbf.map(Date.init(timeIntervalSince1970:)), issuedAt: payload.iat.map(Date.init(timeIntervalSince1970:)),
            issuer: payload.iss, audience: payload.aud ?? [])
    }
}
