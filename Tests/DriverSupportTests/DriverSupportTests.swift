import Testing
import DriverSupport
import Foundation

@Suite struct DriverSupportTests {
    @Test func parsesServerURLs() throws {
        let postgres = try ConnectionURL("postgres://lazyrabbit:s%40cret@db.local/lazyrabbit?sslmode=disable", defaultPort: 5432)
        #expect(postgres.host == "db.local")
        #expect(postgres.port == 5432)
        #expect(postgres.user == "lazyrabbit")
        #expect(postgres.password == "s@cret")
        #expect(postgres.path == "lazyrabbit")
        #expect(postgres.query["sslmode"] == "disable")
        #expect(!postgres.description.contains("s@cret"))
        let amqp = try ConnectionURL("amqp://guest:guest@127.0.0.1:5673/%2F", defaultPort: 5672)
        #expect(amqp.port == 5673)
        #expect(amqp.path == "/")
        #expect(throws: ConnectionURLError.self) { try ConnectionURL("not a url", defaultPort: 1) }
    }

    @Test func backoffDoublesUpToItsMaximumWithJitter() {
        var backoff = ReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        let delays = (0..<8).map { _ in backoff.next() }
        #expect(delays[0] >= .milliseconds(50) && delays[0] <= .milliseconds(100))
        #expect(delays.allSatisfy { $0 <= .seconds(1) })
        #expect(delays[7] >= .milliseconds(500))
        backoff.reset()
        #expect(backoff.next() <= .milliseconds(100))
    }

    @Test func threadExecutorRunsAnActorsMethodsOnItsOwnThread() async {
        actor Probe {
            nonisolated let executor = ThreadExecutor(name: "probe")
            nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
            func threadID() -> pthread_t { pthread_self() }
            deinit { executor.shutdown() }
        }
        let probe = Probe()
        let first = await probe.threadID()
        let second = await Task.detached { await probe.threadID() }.value
        #expect(first == second, "every call runs on the executor's one thread")
        #expect(first != pthread_self())
    }
}
