import Foundation
import RabbitMQDriver
import Testing

extension RabbitMQTests {
    /// Prints the benchmark's figures; runs only with `LAZYRABBIT_BENCH=1` (it asserts nothing about time).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LAZYRABBIT_BENCH"] == "1"))
    func benchmarkPrintsLibraryAndCeiling() async throws {
        let messages = Int(ProcessInfo.processInfo.environment["LAZYRABBIT_BENCH_MESSAGES"] ?? "") ?? 20_000
        let result = try await AMQPBenchmark.run(url: Broker.configuration.url, messages: messages)
        print(result)
        #expect(result.library.messages == messages)
    }
}
