import Foundation
import RedisDriver
import Synchronization
import Testing
import WorkflowDrivers

@Suite struct LockWatchdogTests {
    @Test func keepsTheLockAlivePastItsTTLAndReleasesAfter() async throws {
        try await withRedis { redis in
            let locks = RedisLockService(pool: redis.pool, keyPrefix: redis.prefix)
            let rival = RedisLockService(pool: redis.otherPool(), keyPrefix: redis.prefix)
            let watchdog = LockWatchdog(locks: locks)
            let token = try await watchdog.withLock("long", ttlMilliseconds: 1_500) { grant in
                for _ in 0..<4 {  // 4 × 1.2 s: more than three TTLs (a TTL this long tolerates a loaded machine)
                    try await Task.sleep(for: .milliseconds(1_200))
                    #expect(try await rival.acquire("long", ttlMilliseconds: 1_000) == nil)
                }
                return grant.fencingToken
            }
            #expect(try await redis.pool.command(["EXISTS", locks.lockKey("long")]) == .integer(0))
            let next = try #require(try await rival.acquire("long", ttlMilliseconds: 1_000))
            #expect(next.fencingToken == token + 1)
        }
    }

    @Test func cancelsTheBodyAndThrowsWhenTheLockIsLost() async throws {
        try await withRedis { redis in
            let locks = RedisLockService(pool: redis.pool, keyPrefix: redis.prefix)
            let watchdog = LockWatchdog(locks: locks)
            let sawCancellation = Mutex(false)
            do {
                _ = try await watchdog.withLock("stolen", ttlMilliseconds: 300) { grant in
                    // Someone deletes the lock (as if it expired) and another client takes it.
                    _ = try await redis.pool.command(["DEL", locks.lockKey("stolen")])
                    _ = try await locks.acquire("stolen", ttlMilliseconds: 5_000)
                    do {
                        try await Task.sleep(for: .seconds(5))
                    } catch {
                        sawCancellation.withLock { $0 = true }
                        throw error
                    }
                    return grant.fencingToken
                }
                Issue.record("withLock should throw lockLost")
            } catch let error as RedisError {
                #expect(error.code == .lockLost)
            }
            #expect(sawCancellation.withLock { $0 })
        }
    }

    @Test func refusesWhenTheLockIsHeldAndReleasesWhenTheBodyThrows() async throws {
        try await withRedis { redis in
            let locks = RedisLockService(pool: redis.pool, keyPrefix: redis.prefix)
            let watchdog = LockWatchdog(locks: locks)
            let held = try #require(try await locks.acquire("busy", ttlMilliseconds: 5_000))
            await #expect { try await watchdog.withLock("busy", ttlMilliseconds: 1_000) { _ in 1 } } throws: { error in
                (error as? RedisError)?.code == .lockUnavailable
            }
            try await locks.release(held)

            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await watchdog.withLock("busy", ttlMilliseconds: 1_000) { _ -> Int in throw Boom() }
            }
            #expect(try await redis.pool.command(["EXISTS", locks.lockKey("busy")]) == .integer(0))
        }
    }
}
