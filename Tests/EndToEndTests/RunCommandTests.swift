import Foundation
import Testing
import LocalServers
import WorkflowJSON

/// `lazyrabbit run` on the examples, as separate processes with their own databases.
@Suite(.serialized) struct RunCommandTests {
    /// Runs `lazyrabbit run` with a fresh database and returns the result and the parsed final context.
    static func run(_ arguments: [String]) async throws -> (LazyRabbitCLI.Result, JSONValue?) {
        let directory = try LazyRabbitCLI.scratchDirectory()
        defer { LazyRabbitCLI.cleanUp(directory) }
        let result = try await LazyRabbitCLI.run(["run"] + arguments + ["--db", directory.appendingPathComponent("runs.sqlite").path])
        return (result, try? JSONValue(jsonString: result.stdout))
    }

    @Test func customerOnboardingCompletesWithProgressAndItsFinalContext() async throws {
        let (result, context) = try await Self.run(["examples/customer-onboarding.yaml", "--input", "@examples/inputs/customer.json"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try #require(context)
        #expect(output.value(atPath: "customer.email") == "ada.lovelace@example.com")
        #expect(output.value(atPath: "service.priority") == "high", "gold customers take the VIP path")
        #expect(output.value(atPath: "customer.id")?.stringValue?.count == 36)
        #expect(output["provisioning"]?.arrayValue?.count == 2)
        #expect(output.value(atPath: "welcome.message.subject") == "Welcome, Ada Lovelace!", "the child workflow's context is the result")
        for line in ["→ normalize", "✓ assign_id", "◇ check_email → vip_welcome", "COMPLETED"] {
            #expect(result.stderr.contains(line), "progress shows `\(line)`: \(result.stderr)")
        }
    }

    /// `root` starts `middle`, which maps over three items each starting `leaf`: four children
    /// in the root's tree, at two depths. With room for three, the third leaf is refused (counted
    /// against the root, not against `middle`), and the failure reaches the root.
    @Test func aTreeOfChildWorkflowsStopsAtItsLimit() async throws {
        let directory = try LazyRabbitCLI.scratchDirectory()
        defer { LazyRabbitCLI.cleanUp(directory) }
        let files = [
            "root": """
                apiVersion: lazyrabbit/v1
                name: root
                start: call
                states:
                  call: { type: task, callback: { type: workflow, workflow: middle }, output: middle, next: done }
                  done: { type: succeed }
                """,
            "middle": """
                apiVersion: lazyrabbit/v1
                name: middle
                start: each
                states:
                  each:
                    type: map
                    items: "[1, 2, 3]"
                    max_concurrency: 1
                    output: leaves
                    iterator:
                      start: call
                      states:
                        call: { type: task, callback: { type: workflow, workflow: leaf }, next: end }
                        end: { type: succeed }
                    next: done
                  done: { type: succeed }
                """,
            "leaf": """
                apiVersion: lazyrabbit/v1
                name: leaf
                start: done
                states:
                  done: { type: succeed }
                """,
        ]
        for (name, source) in files {
            try source.write(to: directory.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        }
        let root = directory.appendingPathComponent("root.yaml").path
        let (limited, _) = try await Self.run([root, "--max-child-executions", "3"])
        #expect(limited.status == 1, "\(limited.stderr)")
        #expect(limited.stderr.contains("child_limit_exceeded"), "\(limited.stderr)")
        let (roomy, context) = try await Self.run([root, "--max-child-executions", "4"])
        #expect(roomy.status == 0, "\(roomy.stderr)")
        #expect(context?.value(atPath: "middle.leaves")?.arrayValue?.count == 3)
    }

    @Test func anInvalidEmailFailsWithExitStatusOne() async throws {
        let (result, _) = try await Self.run(["examples/customer-onboarding.yaml", "--input", #"{"email": "not-an-email", "name": "X"}"#])
        #expect(result.status == 1)
        #expect(result.stderr.contains("validation_failed"))
    }

    @Test func invalidInputIsRefusedWithExitStatusTwo() async throws {
        let (missing, _) = try await Self.run(["examples/customer-onboarding.yaml", "--input", #"{"name": "X"}"#])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("`email` is required"))
        let (malformed, _) = try await Self.run(["examples/customer-onboarding.yaml", "--input", "{not json"])
        #expect(malformed.status == 2)
    }

    @Test func orderFanOutTotalsEveryLineAndWaitsForApproval() async throws {
        let (result, context) = try await Self.run(["examples/order-fanout.yaml", "--input", "@examples/inputs/order.json", "--approve"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(context?["priced"] == [700, 480, 120, 210])
        #expect(context?["order_total"] == .integer(1510))
        #expect(context?.value(atPath: "approval.approved") == true)
    }

    @Test func anApprovalNobodyDecidesEscalatesAfterItsTimeout() async throws {
        let (result, context) = try await Self.run(["examples/refund-approval.yaml", "--input", #"{"amount": 80, "customer": "c-7"}"#])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("escalating"))
        #expect(context?["decision"] == nil)
        let (rejected, _) = try await Self.run(["examples/refund-approval.yaml", "--input", #"{"amount": 80, "customer": "c-7"}"#, "--reject"])
        #expect(rejected.status == 1)
        #expect(rejected.stderr.contains("refund_denied"))
    }

    @Test func retriesAreShownAndTheThirdAttemptSucceeds() async throws {
        let (result, context) = try await Self.run(["examples/retry-with-backoff.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(context?.value(atPath: "result.attempts") == .integer(3))
        #expect(result.stderr.components(separatedBy: "↻ unreliable").count - 1 == 2)
    }

    @Test func parallelSetupJoinsItsBranchesAndTakesASignal() async throws {
        let (result, context) = try await Self.run(["examples/parallel-setup.yaml", "--signal", #"payment_received={"amount": 99}"#])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(context?["jobs"] == ["database ready", "cache warm", "dns published"])
        #expect(context?.value(atPath: "payment.amount") == .integer(99))
    }

    @Test func flakyHTTPServiceIsRetriedAgainstARealServer() async throws {
        let calls = Counter()
        let server = try TestHTTPServer { request in
            calls.increment() <= 2
                ? .text("busy", status: 503)
                : .json(["available": 5, "sku": .string(request.query["sku"] ?? "")])
        }
        defer { server.stop() }
        let input = #"{"service_url": "\#(server.baseURL)/inventory", "sku": "lamp"}"#
        let (result, context) = try await Self.run(["examples/flaky-http-service.yaml", "--allow-host", "127.0.0.1", "--input", input])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(server.requestCount(path: "/inventory") == 3)
        #expect(context?.value(atPath: "stock.body.sku") == "lamp")
        #expect(context?.value(atPath: "reservation.reserved") == true)
    }

    @Test func aLoopbackCallbackIsRefusedAtCallTimeWithoutTheAllowList() async throws {
        let server = try TestHTTPServer { _ in .json(["available": 5]) }
        defer { server.stop() }
        let input = #"{"service_url": "\#(server.baseURL)/inventory"}"#
        let (result, context) = try await Self.run(["examples/flaky-http-service.yaml", "--input", input])
        #expect(result.status == 0, "the workflow catches the error: \(result.stderr)")
        #expect(context?.value(atPath: "failure.error") == "blocked_address")
        #expect(server.requestCount(path: "/inventory") == 0, "nothing reached the server")
    }
}

/// A thread-safe counter for server handlers.
final class Counter: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var value = 0

    /// Adds one and returns the new value.
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
