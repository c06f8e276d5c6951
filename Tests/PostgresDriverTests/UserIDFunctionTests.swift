import PostgresDriver
import Testing

extension PostgresIntegration {
    /// `lr_user_id` (migration 3), which every owner column is filled through.
    @Suite struct UserIDFunctionTests {
        private func userID(_ pool: PostgresPool, _ name: String) async throws -> Int64 {
            try await pool.withConnection { connection in
                try #require(try await connection.query("SELECT lr_user_id(\(bind: name)) AS id").first).decode("id")
            }
        }

        @Test func insertsANewUserOnceAndFindsItAfterwards() async throws {
            try await TestDatabase.with { pool in
                let first = try await userID(pool, "alice")
                #expect(try await userID(pool, "alice") == first)
                #expect(try await userID(pool, "bob") != first)
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM users WHERE username = 'alice' AND role = 'user'") == 1)
            }
        }

        @Test func concurrentCallsForANewNameAgree() async throws {
            try await TestDatabase.with(poolSize: 4) { pool in
                let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                    for _ in 0..<8 { group.addTask { try await userID(pool, "carol") } }
                    return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
                }
                #expect(ids.count == 1)
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM users WHERE username = 'carol'") == 1)
            }
        }
    }
}
