import Testing
@testable import WorkflowDrivers

/// The embedded lock service keeps the `LockService` contract: one holder per key, fencing tokens
/// that only grow, renew and release only by the holder, takeover after expiry.
struct InMemoryLockServiceTests {
    @Test func aHeldKeyIsRefusedAndFreedByItsHolderOnly() async throws {
        let locks = InMemoryLockService()
        let grant = try #require(try await locks.acquire("task-1", ttlMilliseconds: 60_000))
        #expect(try await locks.acquire("task-1", ttlMilliseconds: 60_000) == nil)
        try await locks.release(LockGrant(key: "task-1", owner: "someone else", fencingToken: grant.fencingToken))
        #expect(try await locks.acquire("task-1", ttlMilliseconds: 60_000) == nil, "a stranger's release changes nothing")
        try await locks.release(grant)
        #expect(try await locks.acquire("task-1", ttlMilliseconds: 60_000) != nil)
    }

    @Test func fencingTokensGrowAcrossGrantsAndOwnersDiffer() async throws {
        let locks = InMemoryLockService()
        var grants: [LockGrant] = []
        for key in ["a", "b", "a", "c", "a"] {
            let grant = try #require(try await locks.acquire(key, ttlMilliseconds: 60_000))
            grants.append(grant)
            try await locks.release(grant)
        }
        #expect(grants.map(\.fencingToken) == grants.map(\.fencingToken).sorted())
        #expect(Set(grants.map(\.fencingToken)).count == grants.count)
        #expect(Set(grants.map(\.owner)).count == grants.count)
    }

    @Test func anExpiredLockIsTakenOverAndItsOldHolderCanNoLongerRenewIt() async throws {
        let locks = InMemoryLockService()
        let first = try #require(try await locks.acquire("k", ttlMilliseconds: 1))
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await locks.renew(first, ttlMilliseconds: 60_000) == false)
        let second = try #require(try await locks.acquire("k", ttlMilliseconds: 60_000))
        #expect(second.fencingToken > first.fencingToken)
        #expect(try await locks.renew(second, ttlMilliseconds: 60_000))
        #expect(try await locks.renew(first, ttlMilliseconds: 60_000) == false)
    }

    @Test func releasedLocksAreNotKept() async throws {
        let locks = InMemoryLockService()
        for index in 0..<1000 {
            let grant = try #require(try await locks.acquire("task-\(index)", ttlMilliseconds: 60_000))
            try await locks.release(grant)
        }
        #expect(locks.keptCount == 0)
    }
}
