import Foundation
import RedisDriver
import Testing

/// The benchmark prints figures and asserts nothing about time. It runs only when asked:
/// `LAZYRABBIT_REDIS_BENCH=1 swift test --filter RedisBenchmarkTests`.
@Suite struct RedisBenchmarkTests {
    static let enabled = ProcessInfo.processInfo.environment["LAZYRABBIT_REDIS_BENCH"] == "1"

    @Test(.enabled(if: enabled)) func printsLockFiguresBesideTheCeiling() async throws {
        let url = ProcessInfo.processInfo.environment["LAZYRABBIT_REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "redis://127.0.0.1:6379/0"
        let cycles = Int(ProcessInfo.processInfo.environment["LAZYRABBIT_REDIS_BENCH_CYCLES"] ?? "") ?? 20_000
        let result = try await RedisBenchmark.run(url: url, cycles: cycles)
        print(result)
        #expect(result.sequentialCyclesPerSecond > 0 && result.ceilingCyclesPerSecond > 0)
    }
}
