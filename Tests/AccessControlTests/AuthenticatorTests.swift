import AccessControl
import Foundation
import Testing
import WorkflowDrivers

@Suite struct AuthenticatorTests {
    private let store = InMemoryAPITokenStore()

    private func authenticator() throws -> Authenticator {
        Authenticator(verifier: try JWTVerifier(configuration: Keys.hmacConfiguration), tokens: store, clock: { Keys.now })
    }

    private func code(_ header: String?) async throws -> String? {
        let authenticator = try authenticator()
        do {
            _ = try await authenticator.authenticate(authorization: header)
            return nil
        } catch {
            #expect(error.clientMessage == "missing or invalid credentials")
            return error.code
        }
    }

    @Test func apiTokensAuthenticateAndAreTouched() async throws {
        let (plaintext, record) = try await APIToken.issue(owner: "carol", name: "ci", role: .viewer, in: store)
        let principal = try await authenticator().authenticate(authorization: "Bearer \(plaintext)")
        #expect(principal == Principal(subject: "carol", role: .viewer, credential: .apiToken(id: record.id)))
        #expect(try await store.list(owner: "carol").first?.lastUsedAt == Keys.now)
        #expect(try await authenticator().authenticate(authorization: "bearer  \(plaintext)").subject == "carol")
    }

    @Test func revokedAndUnknownTokensAreRefused() async throws {
        let (plaintext, record) = try await APIToken.issue(owner: "carol", name: "ci", role: .admin, in: store)
        #expect(try await store.revoke(id: record.id))
        #expect(try await code("Bearer \(plaintext)") == "revoked_or_unknown_token")
        #expect(try await code("Bearer \(APIToken.generate().plaintext)") == "revoked_or_unknown_token")
    }

    @Test func jwtsAuthenticate() async throws {
        let token = try Keys.hmacSigner().sign(Keys.claims(role: .admin))
        let principal = try await authenticator().authenticate(authorization: "Bearer \(token)")
        #expect(principal == Principal(subject: "alice", role: .admin, credential: .jwt))
        var expired = Keys.claims()
        expired.expiresAt = Keys.now - 3600
        #expect(try await code("Bearer \(try Keys.hmacSigner().sign(expired))") == "invalid_token.expired")
    }

    @Test func badHeadersAreRefused() async throws {
        #expect(try await code(nil) == "missing_credentials")
        #expect(try await code("  ") == "missing_credentials")
        #expect(try await code("Basic YWxpY2U6cHc=") == "malformed_credentials")
        #expect(try await code("Bearer") == "malformed_credentials")
        #expect(try await code("Bearer lr_short") == "malformed_credentials")
        #expect(try await code("Bearer a.b.c") == "invalid_token.malformed")
    }

    @Test func tokensStoredWithAnotherRoleAreRefused() async throws {
        let (plaintext, hash) = APIToken.generate()
        _ = try await store.create(APITokenDraft(owner: "w", name: "worker", role: "worker", hash: hash, createdAt: Keys.now))
        #expect(try await code("Bearer \(plaintext)") == "unknown_role")
    }
}
