/// A JWS signature algorithm this module implements (the header's `alg`).
public enum JWTAlgorithm: String, Sendable, Codable, CaseIterable, Hashable {
    /// HMAC with SHA-256 and a shared secret.
    case hs256 = "HS256"
    /// ECDSA on P-256 with SHA-256; the signature is the 64 raw bytes r‖s.
    case es256 = "ES256"
}
