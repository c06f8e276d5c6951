import Foundation
import Testing
import WorkflowDrivers

/// One suite, every API token store: each test runs against each ``StoreKind``.
@Suite struct APITokenStoreConformanceTests {
    private func draft(_ owner: String, _ name: String, hash: String, at milliseconds: Int64 = 1_700_000_000_123) -> APITokenDraft {
        APITokenDraft(owner: owner, name: name, role: "operator", hash: hash, createdAt: Fixtures.date(milliseconds))
    }

    @Test(arguments: StoreKind.allCases)
    func createThenFindByHash(kind: StoreKind) async throws {
        try await kind.withTokenStore { store in
            let record = try await store.create(draft("alice", "ci", hash: "h1"))
            #expect(record == APITokenRecord(id: record.id, draft("alice", "ci", hash: "h1")))
            #expect(try await store.token(hash: "h1") == record)
            #expect(try await store.token(hash: "h2") == nil)
            let second = try await store.create(draft("alice", "cd", hash: "h2"))
            #expect(second.id != record.id)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aHashIsStoredOnce(kind: StoreKind) async throws {
        try await kind.withTokenStore { store in
            _ = try await store.create(draft("alice", "ci", hash: "h1"))
            await #expect(throws: StoreError.self) { try await store.create(draft("bob", "ci", hash: "h1")) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func listFiltersByOwnerOldestFirst(kind: StoreKind) async throws {
        try await kind.withTokenStore { store in
            let a2 = try await store.create(draft("alice", "second", hash: "h1", at: 1_700_000_002_000))
            let b = try await store.create(draft("bob", "only", hash: "h2", at: 1_700_000_001_000))
            let a1 = try await store.create(draft("alice", "first", hash: "h3", at: 1_700_000_000_000))
            #expect(try await store.list(owner: "alice") == [a1, a2])
            #expect(try await store.list(owner: nil) == [a1, b, a2])
            #expect(try await store.list(owner: "nobody") == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func revokedTokensAreNotFoundButListed(kind: StoreKind) async throws {
        try await kind.withTokenStore { store in
            let record = try await store.create(draft("alice", "ci", hash: "h1"))
            #expect(try await store.revoke(id: record.id))
            #expect(try await store.revoke(id: record.id) == false)
            #expect(try await store.revoke(id: "999999") == false)
            #expect(try await store.revoke(id: "not-a-number") == false)
            #expect(try await store.token(hash: "h1") == nil)
            let listed = try #require(try await store.list(owner: "alice").first)
            #expect(listed.revokedAt != nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func touchRecordsTheLastUse(kind: StoreKind) async throws {
        try await kind.withTokenStore { store in
            let record = try await store.create(draft("alice", "ci", hash: "h1"))
            #expect(record.lastUsedAt == nil)
            try await store.touch(id: record.id, at: Fixtures.date(1_700_000_005_000))
            #expect(try await store.token(hash: "h1")?.lastUsedAt == Fixtures.date(1_700_000_005_000))
            try await store.touch(id: "999999", at: Fixtures.date(1_700_000_006_000))
        }
    }
}
