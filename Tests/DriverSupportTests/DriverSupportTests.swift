import Testing
import DriverSupport
import Foundation
import Synchronization

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

/// Group submission: what arrives while a send is in flight goes out together in the next one.
@Suite struct SubmissionGroupTests {
    /// Records each send's items; the first send waits until `release` is called.
    private final class Sender: Sendable {
        let sends = Mutex<[[Int]]>([])
        let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let firstStarted = Mutex(false)

        func send(_ items: [Int]) async -> [Result<String, any Error>] {
            let isFirst = firstStarted.withLock { started in
                defer { started = true }
                return !started
            }
            if isFirst { await withCheckedContinuation { continuation in gate.withLock { $0 = continuation } } }
            sends.withLock { $0.append(items) }
            return items.map { $0 < 0 ? .failure(SubmissionGroupTests.Refused()) : .success("answer \($0)") }
        }

        func release() -> Bool {
            guard let continuation = gate.withLock({ $0.take() }) else { return false }
            continuation.resume()
            return true
        }
    }

    struct Refused: Error {}

    @Test func itemsQueuedDuringASendGoOutTogetherAndEachGetsItsAnswer() async throws {
        let sender = Sender()
        let group = SubmissionGroup<Int, String>(maxWeight: 3) { await sender.send($0) }
        let first = Task { try await group.submit(0) }
        while !sender.firstStarted.withLock({ $0 }) { await Task.yield() }
        let later = (1...5).map { item in Task { try await group.submit(item) } }
        while group.waitingCount < 5 { await Task.yield() }  // all five queue behind the first send
        while !sender.release() { await Task.yield() }
        #expect(try await first.value == "answer 0")
        for (index, task) in later.enumerated() { #expect(try await task.value == "answer \(index + 1)") }
        let sends = sender.sends.withLock { $0 }
        #expect(sends.first == [0])
        #expect(sends.dropFirst().map(\.count) == [3, 2], "queued items went out in groups of at most maxWeight")
        #expect(Set(sends.flatMap(\.self)) == Set(0...5))
    }

    @Test func aFailedItemFailsAloneAndAnUncontendedItemGoesAtOnce() async throws {
        let sender = Sender()
        _ = sender.firstStarted.withLock { $0 = true }  // no gate: every send goes straight through
        let group = SubmissionGroup<Int, String>(maxWeight: 10) { await sender.send($0) }
        #expect(try await group.submit(7) == "answer 7")
        await #expect(throws: Refused.self) { try await group.submit(-1) }
        #expect(sender.sends.withLock { $0 } == [[7], [-1]])
    }
}
