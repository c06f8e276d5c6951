import Foundation
import RedisDriver

/// A pool on the test server (LAZYRABBIT_REDIS_URL or the local default) and a key prefix unique
/// to one test, whose keys `cleanUp()` deletes.
struct RedisTestContext {
    let configuration: RedisConfiguration
    let pool: RedisPool
    let prefix = "lrtest:\(UUID().uuidString):"

    init(size: Int = 2) throws {
        configuration = try RedisConfiguration.fromEnvironment()
        pool = RedisPool(configuration: configuration, size: size)
    }

    /// Another client (its own connections) on the same server.
    func otherPool(size: Int = 2) -> RedisPool {
        RedisPool(configuration: configuration, size: size)
    }

    func cleanUp() async throws {
        let keys = try await pool.command(["KEYS", prefix + "*"]).elements?.compactMap(\.text) ?? []
        if !keys.isEmpty { _ = try await pool.command(["DEL"] + keys) }
    }
}

/// Runs `body` with a fresh context and always cleans up its keys.
func withRedis(size: Int = 2, _ body: (RedisTestContext) async throws -> Void) async throws {
    let context = try RedisTestContext(size: size)
    do {
        try await body(context)
    } catch {
        try? await context.cleanUp()
        throw error
    }
    try await context.cleanUp()
}
