import Foundation
import Testing

/// `lazyrabbit admin tokens …` and `admin jwt` against the PostgreSQL server that `scripts/services up` runs.
/// Each test uses an owner of its own, so runs never see each other's tokens.
@Suite(.serialized) struct AdminTokensTests {
    private struct Listed: Decodable {
        var id, owner, name, role, hashPrefix: String
        var revokedAt: String?
    }

    private func list(owner: String) async throws -> [Listed] {
        let listed = try await LazyRabbitCLI.run(["admin", "tokens", "list", "--owner", owner, "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        return try JSONDecoder().decode([Listed].self, from: Data(listed.stdout.utf8))
    }

    @Test func createListRevoke() async throws {
        let owner = "e2e-\(UUID().uuidString.prefix(8))"
        let created = try await LazyRabbitCLI.run(["admin", "tokens", "create", "--owner", owner, "--role", "operator", "--name", "ci"])
        #expect(created.status == 0, "\(created.stderr)")
        let plaintext = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(plaintext.hasPrefix("lr_") && plaintext.count == 46)

        let tokens = try await list(owner: owner)
        let token = try #require(tokens.first)
        #expect(tokens.count == 1 && token.owner == owner && token.name == "ci" && token.role == "operator")
        #expect(token.revokedAt == nil)
        #expect(token.hashPrefix.count == 8 && created.stderr.contains("token \(token.id) "))
        let table = try await LazyRabbitCLI.run(["admin", "tokens", "list", "--owner", owner])
        #expect(table.stdout.contains(token.hashPrefix) && !table.stdout.contains(plaintext))

        let revoked = try await LazyRabbitCLI.run(["admin", "tokens", "revoke", token.id])
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(try await list(owner: owner).first?.revokedAt != nil)
        let again = try await LazyRabbitCLI.run(["admin", "tokens", "revoke", token.id])
        #expect(again.status == 1 && again.stderr.contains("no active token"))
    }

    @Test func createRefusesAnUnknownRole() async throws {
        let result = try await LazyRabbitCLI.run(["admin", "tokens", "create", "--owner", "x", "--role", "root", "--name", "n"])
        #expect(result.status != 0 && result.stderr.contains("--role"))
    }

    @Test func jwtNeedsTheSecretAndMintsAThreePartToken() async throws {
        let missing = try await LazyRabbitCLI.run(["admin", "jwt", "--sub", "alice", "--role", "viewer"], environment: ["LAZYRABBIT_JWT_SECRET": ""])
        #expect(missing.status == 2 && missing.stderr.contains("LAZYRABBIT_JWT_SECRET is not set"))
        let minted = try await LazyRabbitCLI.run(
            ["admin", "jwt", "--sub", "alice", "--role", "viewer", "--ttl", "60"],
            environment: ["LAZYRABBIT_JWT_SECRET": "a secret for the end-to-end test, 32+ bytes"])
        #expect(minted.status == 0, "\(minted.stderr)")
        #expect(minted.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }
}
