import Foundation
import PostgresDriver
import Testing

extension PostgresIntegration {
    @Suite struct PostgresBenchmarkTests {
        /// A small run proves the benchmark works; `LAZYRABBIT_BENCH=1` runs the full one and prints it.
        @Test func benchmarkMeasuresTheStoreBesidePgbench() async throws {
            let full = ProcessInfo.processInfo.environment["LAZYRABBIT_BENCH"] == "1"
            var options = PostgresBenchmark.Options()
            if !full {
                options.transitions = 400
                options.concurrency = 4
                options.batchSize = 20
                options.pgbenchSeconds = 1
            }
            let result = try await PostgresBenchmark.run(configuration: TestDatabase.configuration, options: options)
            print(result)
            #expect(result.singleCommitsPerSecond > 0)
            #expect(result.batchedCommitsPerSecond > 0)
            #expect(result.pgbenchSinglePerSecond > 0)
            #expect(result.pgbenchBatchedPerSecond > 0)
        }
    }
}
