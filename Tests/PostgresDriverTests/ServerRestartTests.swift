import Foundation
@testable import PostgresDriver
import Testing

/// Tests that restart the shared PostgreSQL server. They disturb every other test that talks to
/// it, so `scripts/test` runs them on their own, after the rest (`--filter ServerRestart`).
@Suite(.serialized) struct ServerRestartTests {
    @Test func relaySurvivesAPostgreSQLRestart() async throws {
        try await TestDatabase.with { pool throws in
            let expected = try await PostgresIntegration.OutboxRelayTests.insertRows(pool, count: 400)
            let recorder = RecordingPublisher(delay: .milliseconds(20))
            var configuration = OutboxRelay.Configuration()
            configuration.batchSize = 10
            let relay = OutboxRelay(pool: pool, configuration: configuration) { try await recorder.publish($0) }
            let running = Task { try await relay.run() }
            while await recorder.deliveries.count < 50 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(try await PostgresIntegration.OutboxRelayTests.unpublished(pool) > 0, "the restart comes mid-relay")
            try await PostgresIntegration.OutboxRelayTests.restartPostgreSQL()
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if (try? await PostgresIntegration.OutboxRelayTests.unpublished(pool)) == 0 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            running.cancel()
            _ = try? await running.value
            #expect(try await PostgresIntegration.OutboxRelayTests.unpublished(pool) == 0, "no row lost")
            #expect(Set(await recorder.deliveries) == expected, "every row reached the publisher")
        }
    }
}
