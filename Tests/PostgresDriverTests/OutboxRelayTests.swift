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

        /// Runs `relay` until `recorder` has seen `count` deliveries (or 20 s pass); answers the seconds it took.
        static func secondsUntilDelivered(
            _ count: Int, by relay: OutboxRelay, to recorder: RecordingPublisher, meanwhile: @Sendable () async throws -> Void = {}
        ) async throws -> Double {
            let started = Date()
            let running = Task { try await relay.run() }
            try await meanwhile()
            while await recorder.deliveries.count < count, Date().timeIntervalSince(started) < 20 {
                try await Task.sleep(for: .milliseconds(10))
            }
            let seconds = Date().timeIntervalSince(started)
            running.cancel()
            _ = await running.result
            #expect(await recorder.deliveries.count == count)
            return seconds
        }

        static func idleConfiguration() -> OutboxRelay.Configuration {
            var configuration = OutboxRelay.Configuration()
            configuration.idleDelay = .milliseconds(20)
            configuration.maxIdleDelay = .seconds(60)
            return configuration
        }

        static func insertRow(_ pool: PostgresPool, id: String, dueInSeconds seconds: Double) async throws {
            try await pool.withConnection { connection in
                try await connection.execute(
                    """
                    INSERT INTO outbox (message_id, topic, routing_key, payload, next_attempt_at)
                    VALUES (\(bind: id), 'tasks', 'orders', 'x', now() + interval '1 second' * \(bind: seconds)::float8)
                    """)
            }
        }

        @Test func theIdleWaitLastsUntilTheEarliestRowComesDue() async throws {
            try await TestDatabase.with { pool throws in
                let relay = OutboxRelay(pool: pool, configuration: Self.idleConfiguration()) { _ in [] }
                #expect(await relay.idleWait() == .seconds(60), "nothing unpublished: the longest wait")
                try await Self.insertRow(pool, id: "in-30-s", dueInSeconds: 30)
                let wait = await relay.idleWait()
                #expect(wait > .seconds(20) && wait <= .seconds(30), "until the row is due: \(wait)")
                try await Self.insertRow(pool, id: "overdue", dueInSeconds: -1)
                #expect(await relay.idleWait() == .milliseconds(20), "a row already due: the shortest wait")
            }
        }

        @Test func anIdleRelayLooksAgainWhenTheEarliestRowComesDue() async throws {
            try await TestDatabase.with { pool throws in
                try await Self.insertRow(pool, id: "later", dueInSeconds: 0.4)
                let recorder = RecordingPublisher()
                let relay = OutboxRelay(pool: pool, configuration: Self.idleConfiguration()) { try await recorder.publish($0) }
                let seconds = try await Self.secondsUntilDelivered(1, by: relay, to: recorder)
                #expect(seconds < 20, "when it is due, not after the longest idle wait (60 s)")
            }
        }

        @Test func aWakeForLaterBringsAnIdleRelayBackThen() async throws {
            try await TestDatabase.with { pool throws in
                let recorder = RecordingPublisher()
                let wakeup = RelayWakeup()
                let relay = OutboxRelay(pool: pool, configuration: Self.idleConfiguration(), wakeup: wakeup) { try await recorder.publish($0) }
                // The outbox is empty when the relay looks first, so it would next look after 60 s.
                let seconds = try await Self.secondsUntilDelivered(1, by: relay, to: recorder) {
                    try await Task.sleep(for: .milliseconds(300))
                    try await Self.insertRow(pool, id: "timer", dueInSeconds: 0.2)
                    wakeup.wake(at: Date().addingTimeInterval(0.2))
                }
                #expect(seconds >= 0.5 && seconds < 20)
            }
        }

        /// `pg_ctlcluster 15 main restart`.
        static func restartPostgreSQL() async throws {
            let outcome = await ChildProcess.run(["/usr/bin/pg_ctlcluster", "15", "main", "restart"])
            #expect(outcome.status == 0, "pg_ctlcluster restart: \(outcome.output)")
        }
    }
}
