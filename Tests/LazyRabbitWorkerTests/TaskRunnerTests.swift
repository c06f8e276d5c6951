import Foundation
import Intelligence
import LazyRabbitWorker
import LocalServers
import Testing
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

@Suite struct TaskRunnerTests {
    static func task(_ callback: Callback, attempt: Int = 1, timeout: Int64? = nil) -> StateTask {
        StateTask(executionID: "e", taskID: "e/main/s/1#\(attempt)", state: "s", attempt: attempt, callback: callback, timeoutMilliseconds: timeout)
    }

    static let runner = TaskRunner(http: HTTPCallbackRunner(transport: CurlTransport(), policy: AddressPolicy()), secrets: .fixed(["TOKEN": "t0k3n"]))

    @Test func handlersGetTheirInputAndAttempt() async {
        let outcome = await Self.runner.run(Self.task(.handler(HandlerCallback(name: "flaky", input: ["fail_times": 1])), attempt: 2))
        #expect(outcome == .succeeded(["attempts": 2]))
        let failing = await Self.runner.run(Self.task(.handler(HandlerCallback(name: "flaky", input: ["fail_times": 1, "error": "busy"]))))
        #expect(failing == .failed(TaskFailure(errorClass: "busy", message: "attempt 1 of 2 fails on purpose")))
    }

    /// Large numbers from a workflow's input must not trap the worker (it would crash every worker
    /// the task is redelivered to): an integer sum that overflows becomes a `double`.
    @Test func builtInHandlersTakeExtremeNumbers() async {
        let big: JSONValue = .integer(Int.max / 2 + 1)
        let sum = await Self.runner.run(Self.task(.handler(HandlerCallback(name: "sum", input: ["values": [big, big]]))))
        #expect(sum == .succeeded(.double(Double(Int.max / 2 + 1) * 2)))
        #expect(await Self.runner.run(Self.task(.handler(HandlerCallback(name: "sum", input: ["values": [2, 3]])))) == .succeeded(5))
        let flaky = await Self.runner.run(Self.task(.handler(HandlerCallback(name: "flaky", input: ["fail_times": .integer(.max)]))))
        #expect(flaky == .failed(TaskFailure(errorClass: "flaky", message: "attempt 1 of every attempt fails on purpose")))
    }

    /// A report wraps the result in a few more levels and the coordinator reads JSON only 512 levels
    /// deep: a response nested just under that made the report unreadable, and the task hung.
    @Test func aResponseNestedBeyondWhatAnExecutionStoresFailsTheTask() async throws {
        let deep = String(repeating: "[", count: 500) + "1" + String(repeating: "]", count: 500)
        let server = try TestHTTPServer { request in
            TestHTTPResponse(status: request.path == "/bad" ? 400 : 200, headers: ["Content-Type": "application/json"], body: Data(deep.utf8))
        }
        defer { server.stop() }
        let runner = TaskRunner(http: HTTPCallbackRunner(transport: CurlTransport(), policy: AddressPolicy(allowList: ["127.0.0.1"])))
        guard case .failed(let failure) = await runner.run(Self.task(.http(HTTPCallback(url: server.url("/ok"))))) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.errorClass == "value_too_deep")
        #expect(failure.message == "the result of state `s` nests lists and maps more than 128 levels deep")
        guard case .failed(let rejected) = await runner.run(Self.task(.http(HTTPCallback(url: server.url("/bad"))))) else {
            Issue.record("expected a failure")
            return
        }
        #expect(rejected.errorClass == "http_4xx")
        #expect(rejected.details == nil, "details too deep to store are dropped, the error kept")
    }

    @Test func anUnknownHandlerIsAClearNonRetryableError() async {
        guard case .failed(let failure) = await Self.runner.run(Self.task(.handler(HandlerCallback(name: "send_invoice")))) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.errorClass == "handler_not_found")
        #expect(failure.message.contains("send_invoice"))
        #expect(!RetryPolicy(maxAttempts: 5).allowsRetry(after: 1, errorClass: failure.errorClass))
    }

    @Test func aCallbackThatOutlivesItsTimeoutIsCancelled() async {
        let started = ContinuousClock.now
        let outcome = await Self.runner.run(Self.task(.delay(DelayCallback(duration: .seconds(30))), timeout: 100))
        // Well under the 30 s delay: it was cut, not waited out (not a speed test: a loaded machine
        // running the other suites at once took 6.3 s here).
        #expect(ContinuousClock.now - started < .seconds(20))
        guard case .failed(let failure) = outcome else {
            Issue.record("expected a timeout")
            return
        }
        #expect(failure.errorClass == "timeout")
    }

    @Test func llmCallbacksWithoutAModelFailClearly() async {
        guard case .failed(let failure) = await Self.runner.run(Self.task(.llm(LLMCallback(prompt: "hi")))) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.errorClass == "llm_unavailable")
    }

    /// A model's rate limit reaches the engine with its `Retry-After`.
    @Test func aModelsRateLimitIsReportedWithItsWait() async throws {
        let model = try ChatCompletionsServer([.error(status: 429, message: "rate limited", retryAfter: "12")])
        defer { model.stop() }
        let runner = TaskRunner(
            http: HTTPCallbackRunner(transport: CurlTransport(), policy: AddressPolicy()),
            llm: LLMCallRunner(model: ChatCompletionClient(configuration: LLMConfiguration(baseURL: model.baseURL))))
        guard case .failed(let failure) = await runner.run(Self.task(.llm(LLMCallback(prompt: "hi")))) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.errorClass == "llm_rate_limited" && failure.retryAfterMilliseconds == 12_000)
    }

    @Test func logCallbacksReachTheSinkWithSecretsSubstitutedButReturnTheTemplate() async {
        let seen = Recorder()
        var runner = Self.runner
        runner.logSink = { _, level, message in seen.record("\(level.rawValue): \(message)") }
        let outcome = await runner.run(Self.task(.log(LogCallback(message: "token ${secret.TOKEN}", level: .warning))))
        #expect(seen.values == ["warning: token t0k3n"])
        #expect(outcome == .succeeded("token ${secret.TOKEN}"), "the secret never enters the context")
    }

    @Test func aMissingSecretFailsTheCall() throws {
        #expect(throws: TaskFailure.self) { try SecretProvider.fixed([:]).substitute(in: "${secret.NOPE}") }
        #expect(try SecretProvider.fixed(["A": "1"]).substitute(in: ["x": ["${secret.A}"]] as JSONValue) == ["x": ["1"]])
    }
}

/// Collects strings from concurrent callers.
final class Recorder: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var stored: [String] = []

    func record(_ value: String) {
        lock.lock()
        stored.append(value)
        lock.unlock()
    }

    var values: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
