import Foundation

/// A token's payload as sent, before any check: every registered claim optional and typed, so a
/// claim of the wrong JSON type makes the token malformed rather than silently ignored.
struct JWTPayload: Codable {
    var sub: String?
    var exp: Double?
    var nbf: Double?
    var iat: Double?
    var iss: String?
    var aud: [String]?
    var role: String?

    /// The role is read from `roleClaim`, which need not be called `role`.
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static let roleClaimKey = CodingUserInfoKey(rawValue: "lr.role_claim")!

    init(sub: String?, exp: Double?, nbf: Double?, iat: Double?, iss: String?, aud: [String]?, role: String?) {
        (self.sub, self.exp, self.nbf, self.iat, self.iss, self.aud, self.role) = (sub, exp, nbf, iat, iss, aud, role)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let roleClaim = decoder.userInfo[Self.roleClaimKey] as? String ?? "role"
        sub = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "sub"))
        exp = try container.decodeIfPresent(Double.self, forKey: Key(stringValue: "exp"))
        nbf = try container.decodeIfPresent(Double.self, forKey: Key(stringValue: "nbf"))
        iat = try container.decodeIfPresent(Double.self, forKey: Key(stringValue: "iat"))
        iss = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "iss"))
        role = try container.decodeIfPresent(String.self, forKey: Key(stringValue: roleClaim))
        let audKey = Key(stringValue: "aud")
        if let single = try? container.decodeIfPresent(String.self, forKey: audKey) {
            aud = [single]
        } else {
            aud = try container.decodeIfPresent([String].self, forKey: audKey)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        let roleClaim = encoder.userInfo[Self.roleClaimKey] as? String ?? "role"
        try container.encodeIfPresent(sub, forKey: Key(stringValue: "sub"))
        try container.encodeIfPresent(exp.map { Int64($0.rounded(.down)) }, forKey: Key(stringValue: "exp"))
        try container.encodeIfPresent(nbf.map { Int64($0.rounded(.down)) }, forKey: Key(stringValue: "nbf"))
        try container.encodeIfPresent(iat.map { Int64($0.rounded(.down)) }, forKey: Key(stringValue: "iat"))
        try container.encodeIfPresent(iss, forKey: Key(stringValue: "iss"))
        try container.encodeIfPresent(role, forKey: Key(stringValue: roleClaim))
        if let aud, aud.count == 1 {
            try container.encode(aud[0], forKey: Key(stringValue: "aud"))
        } else if let aud, !aud.isEmpty {
            try container.encode(aud, forKey: Key(stringValue: "aud"))
        }
    }
}
