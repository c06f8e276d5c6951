import Foundation
@testable import PostgresDriver
import Testing

extension PostgresIntegration {
    @Suite struct OutboxMarkerTests {
        static func published(_ pool: PostgresPool) async throws -> Int {
            try await TestDatabase.count(pool, "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL")
        }

        @Test func marksWhatIsQueuedWhileRunningAndWhatIsLeftWhenStopped() async throws {
            try await TestDatabase.with { pool throws in
                let ids = try await OutboxRelayTests.insertRows(pool, count: 4)
                let marker = OutboxMarker(pool: pool, interval: .milliseconds(20))
                let running = Task { await marker.run() }
                marker.mark(["msg-0", "msg-1"])
                let started = Date()
                while try await Self.published(pool) < 2, Date().timeIntervalSince(started) < 20 {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(try await Self.published(pool) == 2, "marked while running, without a call to flush()")
                marker.mark(ids.subtracting(["msg-0", "msg-1"]))
                running.cancel()
                await running.value
                #expect(try await Self.published(pool) == 4, "what was queued when it stopped is marked too")
            }
        }
    }
}
