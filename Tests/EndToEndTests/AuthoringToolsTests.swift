import Foundation
import Testing
import WorkflowJSON

/// `lazyrabbit validate` and `lazyrabbit graph`, run as a user would.
@Suite(.serialized) struct AuthoringToolsTests {
    static let examples = ["customer-onboarding", "send-welcome-email", "order-fanout", "refund-approval", "flaky-http-service", "retry-with-backoff", "parallel-setup", "invoice", "order-triage"]

    @Test func everyExampleValidates() async throws {
        let files = Self.examples.map { "examples/\($0).yaml" }
        let result = try await LazyRabbitCLI.run(["validate"] + files)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "is valid").count - 1 == files.count)
    }

    @Test func anInvalidDocumentGetsEveryProblemWithItsPositionAndExitStatusTwo() async throws {
        let directory = try LazyRabbitCLI.scratchDirectory()
        defer { LazyRabbitCLI.cleanUp(directory) }
        let file = directory.appendingPathComponent("broken.yaml")
        try """
            apiVersion: lazyrabbit/v1
            name: broken
            start: validate
            states:
              validate:
                type: task
                callback: { type: handler, name: check }
                retry: { max_attempts: "three" }
                next: rout
              route:
                type: succeed
            """.write(to: file, atomically: true, encoding: .utf8)
        let text = try await LazyRabbitCLI.run(["validate", file.path])
        #expect(text.status == 2)
        #expect(text.stderr.contains("broken.yaml:8:"), "the retry problem points at line 8: \(text.stderr)")
        #expect(text.stderr.contains("states.validate.retry.max_attempts"))
        #expect(text.stderr.contains("`route`"), "a did-you-mean hint for `rout`: \(text.stderr)")

        let json = try await LazyRabbitCLI.run(["validate", "--json", file.path])
        #expect(json.status == 2)
        let report = try JSONValue(jsonString: json.stdout)
        let diagnostics = try #require(report.arrayValue?.first?["diagnostics"]?.arrayValue)
        #expect(diagnostics.count >= 2, "all problems at once, not just the first")
        #expect(diagnostics.allSatisfy { $0["line"]?.doubleValue != nil })
    }

    @Test func graphPrintsAMermaidFlowchart() async throws {
        let result = try await LazyRabbitCLI.run(["graph", "examples/order-fanout.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("flowchart"))
        #expect(result.stdout.contains("price_lines"))
        #expect(result.stdout.contains("manager_approval"))
    }

    @Test func anUnsafeCallbackIsRefusedUnlessAllowListed() async throws {
        let directory = try LazyRabbitCLI.scratchDirectory()
        defer { LazyRabbitCLI.cleanUp(directory) }
        let file = directory.appendingPathComponent("metadata.yaml")
        try """
            apiVersion: lazyrabbit/v1
            name: metadata
            start: steal
            states:
              steal:
                type: task
                callback: { type: http, url: "http://169.254.169.254/latest/meta-data/" }
                end: true
            """.write(to: file, atomically: true, encoding: .utf8)
        let refused = try await LazyRabbitCLI.run(["validate", file.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("169.254.169.254"))
        let allowed = try await LazyRabbitCLI.run(["validate", "--allow-host", "169.254.169.254", file.path])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }
}
