import Foundation
import LocalServers
import Synchronization
import Testing
import WorkflowJSON

/// A run killed with `kill -9` continues where it stopped with `lazyrabbit run --resume`.
///
/// The chain's `second` state calls a local server that holds the first call open until the test
/// has stopped the run, so the run is always stopped inside `second`, however late a loaded
/// machine lets the test see its progress; later calls (the resumed run's) are answered at once.
@Suite(.serialized) struct ResumeTests {
    static func workflow(secondURL: String) -> String {
        """
        apiVersion: lazyrabbit/v1
        name: long-chain
        start: first
        states:
          first: { type: task, callback: { type: delay, duration: 100ms }, next: second }
          second: { type: task, callback: { type: http, method: GET, url: "\(secondURL)" }, next: third }
          third: { type: task, callback: { type: handler, name: echo, input: "done" }, output: result, next: done }
          done: { type: succeed }
        """
    }

    /// A server whose first call waits until ``release()`` (at most a minute); later calls answer at once.
    final class HeldServer: Sendable {
        /// The first call's gate and the number of calls, shared with the server's handler.
        private final class Gate: Sendable {
            let held = DispatchSemaphore(value: 0)
            let calls = Mutex(0)
        }

        let server: TestHTTPServer
        private let gate = Gate()

        init() throws {
            let gate = gate
            server = try TestHTTPServer { _ in
                let isFirst = gate.calls.withLock { count in
                    count += 1
                    return count == 1
                }
                if isFirst { _ = gate.held.wait(timeout: .now() + 60) }
                return .json(["ok": true])
            }
        }

        func release() { gate.held.signal() }
        var callCount: Int { gate.calls.withLock { $0 } }
    }

    /// Starts `lazyrabbit run` on the long chain and waits until its progress shows `→ second` and
    /// `second`'s server holds its call (the state is entered a moment before the call goes out:
    /// a run killed in between makes only the resumed run's call, as CI once saw).
    static func startLongChain(in directory: URL, database: String, second: HeldServer) async throws -> LazyRabbitCLI.Running {
        let file = directory.appendingPathComponent("long-chain.yaml")
        try workflow(secondURL: second.server.url("/second")).write(to: file, atomically: true, encoding: .utf8)
        let running = try LazyRabbitCLI.start(["run", file.path, "--db", database, "--allow-host", "127.0.0.1"])
        let deadline = Date().addingTimeInterval(60)
        while !(running.stderr.contains("→ second") && second.callCount >= 1) && Date() < deadline && running.process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        return running
    }

    @Test func aKilledRunResumesFromItsLastCommittedStep() async throws {
        let directory = try LazyRabbitCLI.scratchDirectory()
        defer { LazyRabbitCLI.cleanUp(directory) }
        let database = directory.appendingPathComponent("runs.sqlite").path
        let second = try HeldServer()
        defer { second.server.stop() }
        let running = try await Self.startLongChain(in: directory, database: database, second: second)
        #expect(running.stderr.contains("✓ first"), "the first state finished before the kill: \(running.stderr)")
        await running.kill()
        second.release()
        #expect(!running.stderr.contains("COMPLETED"), "killed while `second` was running")
        let executionID = try #require(running.stderr.split(separator: "\n").first { $0.contains("execution ") }?
            .components(separatedBy: "execution ").last?.trimmingCharacters(in: .whitespaces))

        let resumed = try await LazyRabbitCLI.run(["run", "--resume", executionID, "--db", database, "--allow-host", "127.0.0.1"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(second.callCount == 2, "the interrupted call is made again")
        #expect(!resumed.stderr.contains("→ first"), "the finished state does not run again: \(resumed.stderr)")
        #expect(resumed.stderr.contains("✓ second"))
        #expect(resumed.stderr.contains("✓ third"))
        #expect(resumed.stderr.contains("(9 transitions)"), "no transition was applied twice: \(resumed.stderr)")
        #expect(try JSONValue(jsonString: resumed.stdout)["result"] == "done")

        let again = try await LazyRabbitCLI.run(["run", "--resume", executionID, "--db", database])
        #expect(again.status == 0, "resuming a finished execution just reports it")
        #expect(again.stderr.contains("(9 transitions)"))
    }

    @Test func ctrlCSaysHowToContinueAndTheRunResumes() async throws {
        let directory = try LazyRabbitCLI.scratchDirectory()
        defer { LazyRabbitCLI.cleanUp(directory) }
        let database = directory.appendingPathComponent("runs.sqlite").path
        let second = try HeldServer()
        defer { second.server.stop() }
        let running = try await Self.startLongChain(in: directory, database: database, second: second)
        kill(running.process.processIdentifier, SIGINT)
        #expect(await running.exitStatus() == 130)
        second.release()
        #expect(running.stderr.contains("interrupted — continue with: lazyrabbit run --resume"))
        let executionID = try #require(running.stderr.components(separatedBy: "--resume ").last?.split(separator: " ").first.map(String.init))

        let resumed = try await LazyRabbitCLI.run(["run", "--resume", executionID, "--db", database, "--allow-host", "127.0.0.1"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("(9 transitions)"))
    }

    @Test func resumingAnUnknownExecutionIsAClearError() async throws {
        let directory = try LazyRabbitCLI.scratchDirectory()
        defer { LazyRabbitCLI.cleanUp(directory) }
        let result = try await LazyRabbitCLI.run(["run", "--resume", "nope", "--db", directory.appendingPathComponent("x.sqlite").path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no execution nope"))
    }
}
