import Crypto
public import Foundation

/// Mints compact JWS tokens that ``JWTVerifier`` accepts: HS256 with a shared secret, ES256 with a
/// P-256 private key. For tests and `lazyrabbit admin jwt`; production tokens normally come from
/// an identity provider.
///
/// ```swift
/// let signer = try JWTSigner.hs256(secret: Array(secret.utf8))
/// let token = try signer.sign(JWTClaims(subject: "alice", role: .operator, expiresAt: .now + 3600))
/// ```
public struct JWTSigner: Sendable {
    private enum Key: Sendable {
        case hmac(SymmetricKey)
        case ecdsa(P256.Signing.PrivateKey)
    }

    private let key: Key
    /// The algorithm written into each token's header.
    public let algorithm: JWTAlgorithm
    /// The claim the role is written to (match the verifier's ``JWTConfiguration/roleClaim``).
    public var roleClaim = "role"

    private init(key: Key, algorithm: JWTAlgorithm) {
        self.key = key
        self.algorithm = algorithm
    }

    /// An HS256 signer.
    ///
    /// - Throws: ``AccessError/invalidConfiguration(_:)`` when `secret` is shorter than
    ///   ``JWTConfiguration/minimumSecretLength``.
    public static func hs256(secret: [UInt8]) throws(AccessError) -> JWTSigner {
        try JWTConfiguration(hmacSecret: secret).validate()
        return JWTSigner(key: .hmac(SymmetricKey(data: secret)), algorithm: .hs256)
    }

    /// An ES256 signer with a P-256 private key in PEM (`-----BEGIN PRIVATE KEY-----` or `EC PRIVATE KEY`).
    ///
    /// - Throws: ``AccessError/invalidConfiguration(_:)`` when the PEM is not a P-256 private key.
    public static func es256(privateKeyPEM: String) throws(AccessError) -> JWTSigner {
        do {
            return JWTSigner(key: .ecdsa(try P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM)), algorithm: .es256)
        } catch {
            throw .invalidConfiguration("the ES256 private key is not a P-256 private key in PEM: \(error)")
        }
    }

    /// The token for `claims`.
    public func sign(_ claims: JWTClaims) throws -> String {
        let payload = JWTPayload(
            sub: claims.subject, exp: claims.expiresAt?.timeIntervalSince1970, nbf: claims.notBefore?.timeIntervalSince1970,
            iat: claims.issuedAt?.timeIntervalSince1970, iss: claims.issuer, aud: claims.audience, role: claims.role.rawValue)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.userInfo[JWTPayload.roleClaimKey] = roleClaim
        return try sign(payload: encoder.encode(payload))
    }

    /// The token whose payload is exactly `payload` (any JSON object, unchecked): for tests that
    /// need tokens with missing or odd claims.
    public func sign(payload: Data) throws -> String {
        let header = try JSONEncoder().encode(JWTHeader(alg: algorithm.rawValue, typ: "JWT"))
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        let signature: Data
        switch key {
        case .hmac(let key):
            signature = Data(HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: key))
        case .ecdsa(let key):
            signature = try key.signature(for: Data(signingInput.utf8)).rawRepresentation
        }
        return signingInput + "." + Base64URL.encode(signature)
    }
}
