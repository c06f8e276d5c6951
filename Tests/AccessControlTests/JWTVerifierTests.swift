import AccessControl
import Crypto
import Foundation
import Testing

@Suite struct JWTVerifierTests {
    private func refusal(_ token: String, _ configuration: JWTConfiguration = Keys.hmacConfiguration, now: Date = Keys.now) -> String? {
        do {
            _ = try JWTVerifier(configuration: configuration).verify(token, now: now)
            return nil
        } catch {
            return error.code
        }
    }

    private func hmacToken(_ payload: [String: Any]) throws -> String {
        try Keys.hmacSigner().sign(payload: Keys.json(payload))
    }

    /// A token with the given header and signature, the payload of a valid HS256 token.
    private func forged(header: String, signature: String) throws -> String {
        let parts = try Keys.hmacSigner().sign(Keys.claims()).split(separator: ".")
        let encoded = Data(header.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return encoded + "." + parts[1] + "." + signature
    }

    @Test func hs256RoundTrips() throws {
        let claims = JWTClaims(
            subject: "alice", role: .admin, expiresAt: Keys.now + 60, notBefore: Keys.now - 60, issuedAt: Keys.now, issuer: "idp",
            audience: ["lazyrabbit"])
        let token = try Keys.hmacSigner().sign(claims)
        #expect(try JWTVerifier(configuration: Keys.hmacConfiguration).verify(token, now: Keys.now) == claims)
        #expect(claims.principal == Principal(subject: "alice", role: .admin, credential: .jwt))
    }

    @Test func es256RoundTripsWithAKeyMadeHere() throws {
        let key = P256.Signing.PrivateKey()
        let token = try JWTSigner.es256(privateKeyPEM: key.pemRepresentation).sign(Keys.claims(role: .viewer))
        let signature = try #require(token.split(separator: ".").last)
        #expect(signature.count == 86)  // 64 raw bytes, not DER
        let configuration = JWTConfiguration(es256PublicKeyPEM: key.publicKey.pemRepresentation)
        #expect(try JWTVerifier(configuration: configuration).verify(token, now: Keys.now).role == .viewer)
    }

    @Test func algNoneAndUnknownAlgorithmsAreRefused() throws {
        #expect(refusal(try forged(header: #"{"alg":"none","typ":"JWT"}"#, signature: "")) == "invalid_token.algorithm_not_allowed")
        #expect(refusal(try forged(header: #"{"alg":"HS512"}"#, signature: "AAAA")) == "invalid_token.algorithm_not_allowed")
        #expect(refusal(try forged(header: #"{"alg":"hs256"}"#, signature: "AAAA")) == "invalid_token.algorithm_not_allowed")
        var onlyES = Keys.hmacConfiguration
        onlyES.allowedAlgorithms = [.es256]
        #expect(refusal(try Keys.hmacSigner().sign(Keys.claims()), onlyES) == "invalid_token.algorithm_not_allowed")
    }

    @Test func algorithmsWithoutAKeyAreRefused() throws {
        let key = P256.Signing.PrivateKey()
        let hmac = try Keys.hmacSigner().sign(Keys.claims())
        #expect(refusal(hmac, JWTConfiguration(es256PublicKeyPEM: key.publicKey.pemRepresentation)) == "invalid_token.algorithm_not_configured")
        let es = try JWTSigner.es256(privateKeyPEM: key.pemRepresentation).sign(Keys.claims())
        #expect(refusal(es) == "invalid_token.algorithm_not_configured")
    }

    @Test func wrongKeysAndTamperingAreRefused() throws {
        let token = try Keys.hmacSigner().sign(Keys.claims())
        let other = JWTConfiguration(hmacSecret: Array("another secret of at least 32 bytes!!".utf8))
        #expect(refusal(token, other) == "invalid_token.bad_signature")

        var parts = token.split(separator: ".").map(String.init)
        parts[1] = Data(#"{"exp":1800003600,"role":"admin","sub":"alice"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "")
        #expect(refusal(parts.joined(separator: ".")) == "invalid_token.bad_signature")

        let key = P256.Signing.PrivateKey()
        let es = try JWTSigner.es256(privateKeyPEM: key.pemRepresentation).sign(Keys.claims())
        let stranger = JWTConfiguration(es256PublicKeyPEM: P256.Signing.PrivateKey().publicKey.pemRepresentation)
        #expect(refusal(es, stranger) == "invalid_token.bad_signature")
    }

    @Test func es256SignaturesMustBeRawJOSE() throws {
        let key = P256.Signing.PrivateKey()
        let configuration = JWTConfiguration(es256PublicKeyPEM: key.publicKey.pemRepresentation)
        let token = try JWTSigner.es256(privateKeyPEM: key.pemRepresentation).sign(Keys.claims())
        let signingInput = token.split(separator: ".").prefix(2).joined(separator: ".")
        let der = try key.signature(for: Data(signingInput.utf8)).derRepresentation
        let derToken = signingInput + "." + der.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        #expect(refusal(derToken, configuration) == "invalid_token.bad_signature_encoding")
    }

    @Test func malformedTokensAreRefused() throws {
        let token = try Keys.hmacSigner().sign(Keys.claims())
        #expect(refusal("abc") == "invalid_token.malformed")
        #expect(refusal(token + ".x") == "invalid_token.malformed")
        #expect(refusal(token + "=") == "invalid_token.malformed")
        #expect(refusal(token.replacingOccurrences(of: "-", with: "+")) == (token.contains("-") ? "invalid_token.malformed" : nil))
        #expect(refusal(try forged(header: "[1]", signature: "AAAA")) == "invalid_token.malformed")
        #expect(refusal(try hmacToken(["sub": "alice", "role": "admin", "exp": "soon"])) == "invalid_token.malformed")
        #expect(refusal(try forged(header: #"{"alg":"HS256","crit":["b64"]}"#, signature: "AAAA")) == "invalid_token.unsupported_critical_header")
    }

    @Test func timeClaimsAreCheckedWithTheLeeway() throws {
        let exp = Keys.now.timeIntervalSince1970
        #expect(refusal(try hmacToken(["sub": "a", "role": "viewer", "exp": exp - 31])) == "invalid_token.expired")
        #expect(refusal(try hmacToken(["sub": "a", "role": "viewer", "exp": exp - 29])) == nil)
        #expect(refusal(try hmacToken(["sub": "a", "role": "viewer", "exp": exp + 60, "nbf": exp + 31])) == "invalid_token.not_yet_valid")
        #expect(refusal(try hmacToken(["sub": "a", "role": "viewer", "exp": exp + 60, "nbf": exp + 29])) == nil)
        #expect(refusal(try hmacToken(["sub": "a", "role": "viewer"])) == "invalid_token.missing_expiration")
        var strict = Keys.hmacConfiguration
        strict.leeway = .zero
        #expect(refusal(try hmacToken(["sub": "a", "role": "viewer", "exp": exp - 1]), strict) == "invalid_token.expired")
    }

    @Test func issuerAndAudienceAreCheckedWhenConfigured() throws {
        var configuration = Keys.hmacConfiguration
        configuration.issuer = "https://id.example"
        configuration.audience = "lazyrabbit"
        let exp = Keys.now.timeIntervalSince1970 + 60
        let base: [String: Any] = ["sub": "a", "role": "viewer", "exp": exp]
        func with(_ extra: [String: Any]) throws -> String { try hmacToken(base.merging(extra) { $1 }) }
        #expect(refusal(try with(["iss": "https://id.example", "aud": "lazyrabbit"]), configuration) == nil)
        #expect(refusal(try with(["iss": "https://id.example", "aud": ["other", "lazyrabbit"]]), configuration) == nil)
        #expect(refusal(try with(["iss": "https://evil.example", "aud": "lazyrabbit"]), configuration) == "invalid_token.wrong_issuer")
        #expect(refusal(try with(["aud": "lazyrabbit"]), configuration) == "invalid_token.wrong_issuer")
        #expect(refusal(try with(["iss": "https://id.example", "aud": ["other"]]), configuration) == "invalid_token.wrong_audience")
        #expect(refusal(try with(["iss": "https://id.example"]), configuration) == "invalid_token.wrong_audience")
    }

    @Test func subjectAndRoleAreRequired() throws {
        let exp = Keys.now.timeIntervalSince1970 + 60
        #expect(refusal(try hmacToken(["role": "viewer", "exp": exp])) == "invalid_token.missing_subject")
        #expect(refusal(try hmacToken(["sub": "", "role": "viewer", "exp": exp])) == "invalid_token.missing_subject")
        #expect(refusal(try hmacToken(["sub": "a", "exp": exp])) == "invalid_token.missing_role")
        #expect(refusal(try hmacToken(["sub": "a", "role": "root", "exp": exp])) == "invalid_token.unknown_role")
    }

    @Test func configurationComesFromTheEnvironment() throws {
        let key = P256.Signing.PrivateKey()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lr-jwt-\(UUID().uuidString).pem")
        try key.publicKey.pemRepresentation.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try JWTConfiguration.fromEnvironment([
            "LAZYRABBIT_JWT_SECRET": String(decoding: Keys.secret, as: UTF8.self), "LAZYRABBIT_JWT_PUBLIC_KEY_FILE": file.path,
            "LAZYRABBIT_JWT_ISSUER": "idp", "LAZYRABBIT_JWT_AUDIENCE": "lr", "LAZYRABBIT_JWT_LEEWAY_SECONDS": "5",
            "LAZYRABBIT_JWT_ALGORITHMS": "es256",
        ])
        #expect(configuration.hmacSecret == Keys.secret)
        #expect(configuration.es256PublicKeyPEM == key.publicKey.pemRepresentation)
        #expect(configuration.allowedAlgorithms == [.es256])
        #expect(configuration.issuer == "idp" && configuration.audience == "lr" && configuration.leeway == .seconds(5))

        let defaults = try JWTConfiguration.fromEnvironment([:])
        #expect(defaults.hmacSecret == nil && defaults.leeway == .seconds(30) && defaults.requireExpiration)
        #expect(throws: AccessError.self) { try JWTConfiguration.fromEnvironment(["LAZYRABBIT_JWT_SECRET": "short"]) }
        #expect(throws: AccessError.self) { try JWTConfiguration.fromEnvironment(["LAZYRABBIT_JWT_ALGORITHMS": "none"]) }
        #expect(throws: AccessError.self) { try JWTVerifier(configuration: JWTConfiguration(es256PublicKeyPEM: "not a key")) }
    }
}
