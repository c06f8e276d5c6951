import Foundation
import Testing

/// `lazyrabbit admin` against the PostgreSQL server that `scripts/services up` runs.
@Suite(.serialized) struct AdminTests {
    @Test func migrateBringsTheSchemaUpToDateAndIsIdempotent() async throws {
        let first = try await LazyRabbitCLI.run(["admin", "migrate"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try await LazyRabbitCLI.run(["admin", "migrate"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("up to date"))
    }
}
