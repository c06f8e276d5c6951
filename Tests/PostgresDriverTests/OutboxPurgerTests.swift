@testable import PostgresDriver
import Testing

extension PostgresIntegration {
    @Suite struct OutboxPurgerTests {
        /// Inserts one row per entry, in order (so ids follow the list), created and published
        /// that many minutes ago; a `nil` publication leaves the row unpublished.
        static func insert(_ pool: PostgresPool, _ rows: [(name: String, createdMinutesAgo: Int, publishedMinutesAgo: Int?)]) async throws {
            try await pool.withConnection { connection in
                for row in rows {
                    try await connection.execute(
                        """
                        INSERT INTO outbox (message_id, topic, routing_key, payload, created_at, published_at)
                        VALUES (\(bind: row.name), 'tasks', 'default', '\\x00',
                                now() - make_interval(mins => \(bind: row.createdMinutesAgo)),
                                now() - make_interval(mins => \(bind: row.publishedMinutesAgo)))
                        """)
                }
            }
        }

        static func remaining(_ pool: PostgresPool) async throws -> Set<String> {
            try await pool.withConnection { connection in
                Set(try await connection.query("SELECT message_id FROM outbox").map { try $0.decode("message_id", as: String.self) })
            }
        }

        @Test func deletesOnlyRowsPublishedBeforeTheWindow() async throws {
            try await TestDatabase.with { pool throws in
                let expired = (0..<7).map { (name: "expired-\($0)", createdMinutesAgo: 120, publishedMinutesAgo: Optional(119)) }
                try await Self.insert(pool, expired + [
                    (name: "owed", createdMinutesAgo: 120, publishedMinutesAgo: nil),
                    (name: "late-timer", createdMinutesAgo: 120, publishedMinutesAgo: 5),
                    (name: "recent", createdMinutesAgo: 10, publishedMinutesAgo: 10),
                    (name: "recent-owed", createdMinutesAgo: 1, publishedMinutesAgo: nil),
                ])
                var configuration = OutboxPurger.Configuration()
                configuration.retention = .seconds(3600)
                configuration.batchSize = 3
                let purger = OutboxPurger(pool: pool, configuration: configuration)
                #expect(try await purger.purgeOnce() == 7, "batches of 3 until none is left")
                #expect(try await Self.remaining(pool) == ["owed", "late-timer", "recent", "recent-owed"])
                #expect(try await purger.purgeOnce() == 0)
            }
        }

        @Test func aRowLockedByAnotherPurgerWaitsForTheNextPass() async throws {
            try await TestDatabase.with { pool throws in
                try await Self.insert(pool, (0..<5).map { (name: "expired-\($0)", createdMinutesAgo: 90, publishedMinutesAgo: Optional(90 - $0)) })
                var configuration = OutboxPurger.Configuration()
                configuration.batchSize = 2
                let purger = OutboxPurger(pool: pool, configuration: configuration)
                let holder = PostgresPool(configuration: pool.configuration)
                try await holder.withTransaction { connection in
                    _ = try await connection.query("SELECT 1 FROM outbox WHERE message_id = 'expired-2' FOR UPDATE")
                    #expect(try await purger.purgeOnce() == 4, "the locked row is skipped, not waited for")
                }
                #expect(try await Self.remaining(pool) == ["expired-2"])
                #expect(try await purger.purgeOnce() == 1)
            }
        }

        @Test func aZeroRetentionKeepsOnlyUnpublishedRows() async throws {
            try await TestDatabase.with { pool throws in
                try await Self.insert(pool, [
                    (name: "old", createdMinutesAgo: 30, publishedMinutesAgo: 29),
                    (name: "owed", createdMinutesAgo: 20, publishedMinutesAgo: nil),
                    (name: "new", createdMinutesAgo: 0, publishedMinutesAgo: 0),
                ])
                var configuration = OutboxPurger.Configuration()
                configuration.retention = .zero
                #expect(try await OutboxPurger(pool: pool, configuration: configuration).purgeOnce() == 2)
                #expect(try await Self.remaining(pool) == ["owed"])
            }
        }
    }
}
