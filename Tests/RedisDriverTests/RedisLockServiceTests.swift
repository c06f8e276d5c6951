import Foundation
import RedisDriver
import Testing
import WorkflowDrivers

@Suite struct RedisLockServiceTests {
    @Test func twoClientsContendAndExactlyOneWins() async throws {
        try await withRedis { redis in
            let first = RedisLockService(pool: redis.pool, keyPrefix: redis.prefix)
            let second = RedisLockService(pool: redis.otherPool(), keyPrefix: redis.prefix)
            for round in 0..<50 {
                let key = "contended-\(round)"
                let grants = try await withThrowingTaskGroup(of: LockGrant?.self) { group in
                    for locks in [first, second, first, second] {
                        group.addTask { try await locks.acquire(key, ttlMilliseconds: 10_000) }
                    }
                    var grants: [LockGrant] = []
                    for try await grant in group { if let grant { grants.append(grant) } }
                    return grants
                }
                #expect(grants.count == 1, "round \(round): \(grants.count) winners")
                // Losers got no token: the winner's is the first ever issued for this key.
                #expect(grants.first?.fencingToken == 1)
            }
        }
    }

    @Test func fencingTokensStrictlyIncreaseAcrossGrants() async throws {
        try await withRedis { redis in
            let locks = RedisLockService(pool: redis.pool, keyPrefix: redis.prefix)
            var previous: Int64 = 0
            for _ in 0..<20 {
                let grant = try #require(try await locks.acquire("fenced", ttlMilliseconds: 5_000))
                #expect(try await locks.acquire("fenced", ttlMilliseconds: 5_000) == nil)
                #expect(grant.fencingToken > previous)
                previous = grant.fencingToken
                #expect(try await locks.releaseIfHeld(grant))
            }
            #expect(previous == 20)
        }
    }

    @Test func anExpiredLockGoesToTheNextClientWithALargerToken() async throws {
        try await withRedis { redis in
            let slow = RedisLockService(pool: redis.pool, keyPrefix: redis.prefix)
            let fast = RedisLockService(pool: redis.otherPool(), keyPrefix: redis.prefix)
            let stale = try #require(try await slow.acquire("job", ttlMilliseconds: 2_000))
            #expect(try await fast.acquire("job", ttlMilliseconds: 5_000) == nil)
            try await Task.sleep(for: .milliseconds(2_500))  // the slow holder overruns its TTL (margins sized for a loaded CI machine)

            let current = try #require(try await fast.acquire("job", ttlMilliseconds: 5_000))
            #expect(current.fencingToken > stale.fencingToken)
            #expect(try await slow.renew(stale, ttlMilliseconds: 5_000) == false)
            #expect(try await slow.releaseIfHeld(stale) == false)
            try await slow.release(stale)  // a no-op: it must not free the new holder's lock
            #expect(try await redis.pool.command(["GET", fast.lockKey("job")]).text == current.owner)
            #expect(try await fast.renew(current, ttlMilliseconds: 5_000))
            #expect(try await fast.releaseIfHeld(current))
        }
    }

    @Test func batchAcquireAndReleaseInOneRoundTripEach() async throws {
        try await withRedis { redis in
            let locks = RedisLockService(pool: redis.pool, keyPrefix: redis.prefix)
            let held = try #require(try await locks.acquire("b", ttlMilliseconds: 5_000))
            let grants = try await locks.acquire(["a", "b", "c"], ttlMilliseconds: 5_000)
            #expect(grants.map { $0?.key } == ["a", nil, "c"])
            #expect(grants[0]?.fencingToken == 1 && grants[2]?.fencingToken == 1)
            let taken = grants.compactMap { $0 }
            #expect(try await locks.releaseIfHeld(taken + [held]) == [true, true, true])
            #expect(try await locks.releaseIfHeld(taken) == [false, false])
        }
    }

    @Test func rejectsNonPositiveTTLs() async throws {
        try await withRedis { redis in
            let locks = RedisLockService(pool: redis.pool, keyPrefix: redis.prefix)
            await #expect(throws: RedisError.self) { try await locks.acquire("k", ttlMilliseconds: 0) }
        }
    }

    @Test func fallsBackToEvalWhenTheServerForgetsTheScript() async throws {
        try await withRedis(size: 1) { redis in
            let locks = RedisLockService(pool: redis.pool, keyPrefix: redis.prefix)
            let first = try #require(try await locks.acquire("flushed", ttlMilliseconds: 5_000))
            _ = try await redis.pool.command(["SCRIPT", "FLUSH"])
            #expect(try await locks.releaseIfHeld(first))
            let second = try #require(try await locks.acquire("flushed", ttlMilliseconds: 5_000))
            #expect(second.fencingToken == first.fencingToken + 1)
            try await locks.release(second)
        }
    }

    @Test func aMarkedKeyIsNotLockedAndReleasingSetsTheMarker() async throws {
        try await withRedis { redis in
            let locks = RedisLockService(pool: redis.pool, keyPrefix: redis.prefix)
            guard case .granted(let first) = try await locks.acquire("task-1", ttlMilliseconds: 5_000, unlessMarked: "done") else {
                Issue.record("an unmarked, free key must be granted")
                return
            }
            #expect(try await locks.acquire("task-1", ttlMilliseconds: 5_000, unlessMarked: "done") == .held)
            #expect(try await locks.release(first, marking: "done", value: "worker-a", retentionMilliseconds: 60_000))
            // Released and marked: the marker now answers, and the lock itself is free.
            #expect(try await locks.acquire("task-1", ttlMilliseconds: 5_000, unlessMarked: "done") == .marked)
            #expect(try await redis.pool.command(["GET", locks.markerKey("done", "task-1")]).text == "worker-a")
            let ttl = try await redis.pool.command(["PTTL", locks.markerKey("done", "task-1")])
            #expect((ttl.integer ?? 0) > 50_000)
            // The fencing counter moved only for the grant.
            let other = try #require(try await locks.acquire("task-1", ttlMilliseconds: 5_000))
            #expect(other.fencingToken == first.fencingToken + 1)
        }
    }

    @Test func releasingAnExpiredGrantStillSetsTheMarkerButFreesNothing() async throws {
        try await withRedis { redis in
            let locks = RedisLockService(pool: redis.pool, keyPrefix: redis.prefix)
            guard case .granted(let stale) = try await locks.acquire("task-2", ttlMilliseconds: 50, unlessMarked: "done") else {
                Issue.record("expected a grant")
                return
            }
            try await Task.sleep(for: .milliseconds(120))
            let holder = try #require(try await locks.acquire("task-2", ttlMilliseconds: 5_000))
            #expect(try await locks.release(stale, marking: "done", value: "late", retentionMilliseconds: 60_000) == false)
            #expect(try await redis.pool.command(["EXISTS", locks.lockKey("task-2")]) == .integer(1))
            #expect(try await locks.acquire("task-2", ttlMilliseconds: 5_000, unlessMarked: "done") == .marked)
            try await locks.release(holder)
        }
    }
}
