import AccessControl
import Foundation

/// Keys, clocks and configurations shared by the suites.
enum Keys {
    static let secret = Array("an HS256 secret of at least 32 bytes!".utf8)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static var hmacConfiguration: JWTConfiguration { JWTConfiguration(hmacSecret: secret) }

    static func hmacSigner() throws -> JWTSigner { try JWTSigner.hs256(secret: secret) }

    /// Claims valid at ``now`` for an hour.
    static func claims(role: Role = .operator) -> JWTClaims {
        JWTClaims(subject: "alice", role: role, expiresAt: now + 3600, issuedAt: now)
    }

    /// `payload` as compact JSON bytes.
    static func json(_ payload: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
    }
}
