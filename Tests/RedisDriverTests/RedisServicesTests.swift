import Foundation
import RedisDriver
import Testing

@Suite struct RedisServicesTests {
    @Test func rateLimiterAllowsABurstThenRefusesThenRefills() async throws {
        try await withRedis { redis in
            let limiter = RedisRateLimiter(
                pool: redis.pool, policy: .init(capacity: 5, refillPerSecond: 0.5), keyPrefix: redis.prefix)
            for expectedRemaining in (0..<5).reversed() {
                let decision = try await limiter.take("token-a")
                #expect(decision.allowed && decision.remaining == Int64(expectedRemaining))
            }
            let refused = try await limiter.take("token-a")
            #expect(!refused.allowed)
            #expect((1...2000).contains(refused.retryAfterMilliseconds), "one token takes 2 s at 0.5/s")
            #expect(try await limiter.take("token-b").allowed, "buckets are per key")
            try await Task.sleep(for: .milliseconds(refused.retryAfterMilliseconds + 30))
            #expect(try await limiter.take("token-a").allowed)
            await #expect(throws: RedisError.self) { try await limiter.take("token-a", cost: 6) }
        }
    }

    @Test func cacheValuesExpireAfterTheirTTL() async throws {
        try await withRedis { redis in
            let cache = RedisCache(pool: redis.pool, keyPrefix: redis.prefix + "cache:")
            try await cache.set("greeting", "hello", ttl: .milliseconds(2_000))
            try await cache.set("blob", [0, 0xFF, 0x7F], ttl: nil)
            #expect(try await cache.string("greeting") == "hello")
            #expect(try await cache.bytes("blob") == [0, 0xFF, 0x7F])
            try await Task.sleep(for: .milliseconds(2_500))
            #expect(try await cache.string("greeting") == nil)
            #expect(try await cache.bytes("blob") == [0, 0xFF, 0x7F])
            #expect(try await cache.delete("blob"))
            #expect(try await cache.delete("blob") == false)
            #expect(try await cache.bytes("blob") == nil)
        }
    }

    @Test func heartbeatRegistryListsLiveWorkersAndDropsStaleOnes() async throws {
        try await withRedis { redis in
            let registry = WorkerRegistry(pool: redis.pool, staleAfter: .seconds(4), keyPrefix: redis.prefix)
            let started = Date(timeIntervalSince1970: 1_700_000_000.123)
            let quiet = WorkerHeartbeat(workerID: "w-quiet", host: "node-1", startedAt: started)
            var busy = WorkerHeartbeat(workerID: "w-busy", host: "node-2", startedAt: started, inFlight: 3, processed: 10, failures: 1)
            let before = Date()
            try await registry.heartbeat(quiet)
            try await registry.heartbeat(busy)
            let both = try await registry.workers()
            #expect(Set(both.map(\.workerID)) == ["w-quiet", "w-busy"])
            let listed = try #require(both.first { $0.workerID == "w-busy" })
            #expect(listed.host == "node-2" && listed.inFlight == 3 && listed.processed == 10 && listed.failures == 1)
            #expect(abs(listed.startedAt.timeIntervalSince(started)) < 0.001)
            #expect(abs(listed.lastSeen.timeIntervalSince(before)) < 2)

            for _ in 0..<4 {  // only the busy worker keeps beating
                try await Task.sleep(for: .milliseconds(1_200))
                busy.processed += 1
                try await registry.heartbeat(busy)
            }
            let live = try await registry.workers()
            #expect(live.map(\.workerID) == ["w-busy"])
            #expect(live.first?.processed == 14)
            #expect(try await redis.pool.command(["ZSCORE", redis.prefix + "workers", "w-quiet"]) == .null)

            try await registry.remove("w-busy")
            #expect(try await registry.workers().isEmpty)
        }
    }
}
