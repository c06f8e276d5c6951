import Foundation
import RedisDriver
import Testing
import WorkflowDrivers

@Suite struct RedisPayloadStoreTests {
    @Test func theSameContentIsStoredOnceUnderOneKeyWithATTL() async throws {
        try await withRedis { redis in
            let store = RedisPayloadStore(pool: redis.pool, keyPrefix: redis.prefix, ttl: .seconds(3600))
            let body = Data((0..<300_000).map { UInt8($0 % 251) })
            let first = try await store.put(body)
            let second = try await store.put(body)
            #expect(first == second)
            #expect(first == PayloadReference.of(body))
            let keys = try await redis.pool.command(["KEYS", redis.prefix + "payload:*"]).elements?.compactMap(\.text) ?? []
            #expect(keys == [store.storageKey(first)])
            #expect(store.storageKey(first) == redis.prefix + "payload:" + String(first.dropFirst("sha256:".count)))
            let ttl = try await redis.pool.command(["PTTL", store.storageKey(first)]).integer ?? -1
            #expect(ttl > 3_500_000 && ttl <= 3_600_000)
            let stored = try await store.get(first)
            #expect(stored == body)
        }
    }

    @Test func aMissingPayloadIsNil() async throws {
        try await withRedis { redis in
            let store = RedisPayloadStore(pool: redis.pool, keyPrefix: redis.prefix)
            let missing = try await store.get(PayloadReference.of(Data("never stored".utf8)))
            #expect(missing == nil)
        }
    }
}
