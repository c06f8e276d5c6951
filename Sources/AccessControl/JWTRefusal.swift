import Foundation

/// Which check refused a JSON Web Token (see ``JWTVerifier``); carried by ``AccessError/invalidToken(_:)``.
public enum JWTRefusal: Sendable, Equatable, CustomStringConvertible {
    /// Not three base64url (unpadded, canonical) parts of JSON objects.
    case malformed(String)
    /// The header's `alg` is `none`, unknown, or not in ``JWTConfiguration/allowedAlgorithms``.
    case algorithmNotAllowed(String)
    /// The header's `alg` is allowed but no key for it is configured.
    case algorithmNotConfigured(JWTAlgorithm)
    /// The header names critical extensions (`crit`), which this verifier does not implement.
    case unsupportedCriticalHeader
    /// The signature has the wrong length (ES256 needs the 64 raw bytes r‖s of JOSE, not DER).
    case badSignatureEncoding
    /// The signature does not match the header and payload under the configured key.
    case badSignature
    /// `exp` has passed (beyond the leeway).
    case expired
    /// `nbf` is still in the future (beyond the leeway).
    case notYetValid
    /// No `exp` claim, and ``JWTConfiguration/requireExpiration`` is set.
    case missingExpiration
    /// `iss` is not ``JWTConfiguration/issuer``.
    case wrongIssuer
    /// `aud` does not contain ``JWTConfiguration/audience``.
    case wrongAudience
    /// No `sub` claim, or an empty one.
    case missingSubject
    /// No role claim (``JWTConfiguration/roleClaim``).
    case missingRole
    /// A role claim that is not a ``Role``.
    case unknownRole(String)

    /// A stable identifier (`expired`, `bad_signature`), the suffix of ``AccessError/code``.
    public var code: String {
        switch self {
        case .malformed: "malformed"
        case .algorithmNotAllowed: "algorithm_not_allowed"
        case .algorithmNotConfigured: "algorithm_not_configured"
        case .unsupportedCriticalHeader: "unsupported_critical_header"
        case .badSignatureEncoding: "bad_signature_encoding"
        case .badSignature: "bad_signature"
        case .expired: "expired"
        case .notYetValid: "not_yet_valid"
        case .missingExpiration: "missing_expiration"
        case .wrongIssuer: "wrong_issuer"
        case .wrongAudience: "wrong_audience"
        case .missingSubject: "missing_subject"
        case .missingRole: "missing_role"
        case .unknownRole: "unknown_role"
        }
    }

    public var description: String {
        switch self {
        case .malformed(let context): "malformed: \(context)"
        case .algorithmNotAllowed(let alg): "algorithm \(alg) is not allowed"
        case .algorithmNotConfigured(let alg): "no key configured for \(alg.rawValue)"
        case .unknownRole(let role): "unknown role \(role)"
        default: code.replacingOccurrences(of: "_", with: " ")
        }
    }
}
