import Foundation
import Testing
import WorkflowJSON

/// A run killed with `kill -9` continues where it stopped with `lazyrabbit run --resume`.
@Suite(.serialized) struct ResumeTests {
    static let workflow = """
        apiVersion: lazyrabbit/v1
        name: long-chain
        start: first
        states:
          first: { type: task, callback: { type: delay, duration: 100ms }, next: second }
          second: { type: task, callback: { type: delay, duration: 3s }, next: third }
          third: { type: task, callback: { type: handler, name: echo, input: "done" }, output: result, next: done }
          done: { type: succeed }
        """

    /// Starts `lazyrabbit run` on the long chain and waits until its progress shows `marker`.
    static func startLongChain(in directory: URL, database: String, until marker: String) async throws -> LazyRabbitCLI.Running {
        let file = directory.appendingPathComponent("long-chain.yaml")
        try workflow.write(to: file, atomically: true, encoding: .utf8)
        let running = try LazyRabbitCLI.start(["run", file.path, "--db", database])
        let deadline = Date().addingTimeInterval(60)
        while !running.stderr.contains(marker) && Date() < deadline && running.process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        return running
    }

    @Test func aKilledRunResumesFromItsLastCommittedStep() async throws {
        let directory = try LazyRabbitCLI.scratchDirectory()
        defer { LazyRabbitCLI.cleanUp(directory) }
        let database = directory.appendingPathComponent("runs.sqlite").path
        let running = try await Self.startLongChain(in: directory, database: database, until: "✓ first")
        #expect(running.stderr.contains("✓ first"), "the first state finished before the kill: \(running.stderr)")
        try await Task.sleep(for: .milliseconds(300))
        await running.kill()
        #expect(!running.stderr.contains("COMPLETED"), "killed while `second` was running")
        let executionID = try #require(running.stderr.split(separator: "\n").first { $0.contains("execution ") }?
            .components(separatedBy: "execution ").last?.trimmingCharacters(in: .whitespaces))

        let resumed = try await LazyRabbitCLI.run(["run", "--resume", executionID, "--db", database])
        #expect(resumed.status == 0, "\(resumed.stderr)")
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
        let running = try await Self.startLongChain(in: directory, database: database, until: "→ second")
        kill(running.process.processIdentifier, SIGINT)
        #expect(await running.exitStatus() == 130)
        #expect(running.stderr.contains("interrupted — continue with: lazyrabbit run --resume"))
        let executionID = try #require(running.stderr.components(separatedBy: "--resume ").last?.split(separator: " ").first.map(String.init))

        let resumed = try await LazyRabbitCLI.run(["run", "--resume", executionID, "--db", database])
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
