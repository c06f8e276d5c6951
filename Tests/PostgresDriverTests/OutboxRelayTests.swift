import Foundation
@testable import PostgresDriver
import Testing

extension PostgresIntegration {
    @Suite struct OutboxRelayTests {
        static func insertRows(_ pool: PostgresPool, count: Int) async throws -> Set<String> {
            let ids = (0..<count).map { "msg-\($0)" }
            try await pool.withConnection { connection in
                try await connection.execute(
                    """
                    INSERT INTO outbox (message_id, topic, routing_key, payload)
                    SELECT id, 'tasks', 'orders', convert_to(id, 'UTF8') FROM unnest(\(bind: ids)::text[]) AS id
                    """)
            }
            return Set(ids)
        }

        static func unpublished(_ pool: PostgresPool) async throws -> Int {
            try await TestDatabase.count(pool, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
        }

        @Test func twoRelaysAtOncePublishEachRowOnce() async throws {
            try await TestDatabase.with { pool throws in
                let expected = try await Self.insertRows(pool, count: 600)
                let recorder = RecordingPublisher(delay: .milliseconds(2))
                var configuration = OutboxRelay.Configuration()
                configuration.batchSize = 25
                let relays = (0..<2).map { _ in
                    OutboxRelay(pool: PostgresPool(configuration: pool.configuration), configuration: configuration) { try await recorder.publish($0) }
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for relay in relays {
                        group.addTask { while try await relay.relayOnce().claimed > 0 {} }
                    }
                    try await group.waitForAll()
                }
                let deliveries = await recorder.deliveries
                #expect(deliveries.count == 600, "no message went out twice")
                #expect(Set(deliveries) == expected)
                #expect(try await Self.unpublished(pool) == 0)
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM outbox WHERE attempts <> 1") == 0)
            }
        }

        @Test func unconfirmedRowsAreBackedOffAndPublishedLater() async throws {
            try await TestDatabase.with { pool throws in
                let expected = try await Self.insertRows(pool, count: 30)
                let recorder = RecordingPublisher(failures: 1)
                var configuration = OutboxRelay.Configuration()
                configuration.batchSize = 10
                configuration.retryDelay = .milliseconds(50)
                let relay = OutboxRelay(pool: pool, configuration: configuration) { try await recorder.publish($0) }
                #expect(try await relay.relayOnce() == RelayPass(claimed: 10, published: 0))
                while try await relay.relayOnce().claimed > 0 {}
                #expect(try await Self.unpublished(pool) == 10, "the failed batch waits out its backoff")
                try await Task.sleep(for: .milliseconds(120))
                #expect(try await relay.relayOnce() == RelayPass(claimed: 10, published: 10))
                let deliveries = await recorder.deliveries
                #expect(deliveries.count == 40, "only the failed batch was seen twice")
                #expect(Set(deliveries) == expected)
                #expect(try await TestDatabase.count(pool, "SELECT count(*) FROM outbox WHERE attempts = 2 AND last_error IS NOT NULL") == 10)
            }
        }

        /// `pg_ctlcluster 15 main restart`.
        static func restartPostgreSQL() async throws {
            let outcome = await ChildProcess.run(["/usr/bin/pg_ctlcluster", "15", "main", "restart"])
            #expect(outcome.status == 0, "pg_ctlcluster restart: \(outcome.output)")
        }
    }
}
