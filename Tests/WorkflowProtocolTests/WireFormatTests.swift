import Foundation
import Testing
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

/// The messages as a worker written in another language sees them (docs/protocol.md).
@Suite struct WireFormatTests {
    @Test func aStateTaskWrittenByHandDecodes() throws {
        let json = #"""
            {"version": 1, "execution_id": "e-1", "task_id": "e-1/main/charge/1#2", "state": "charge", "attempt": 2,
             "callback": {"type": "http", "method": "POST", "url": "https://pay.example/charge",
                          "headers": {"Authorization": "Bearer ${secret.PAY}"}, "query": {}, "body": {"amount": 12}},
             "timeout_ms": 5000, "queue": "default"}
            """#
        let task = try JSONDecoder().decode(StateTask.self, from: Data(json.utf8))
        #expect(task.taskID == "e-1/main/charge/1#2")
        #expect(task.attempt == 2)
        #expect(task.timeoutMilliseconds == 5000)
        guard case .http(let http) = task.callback else {
            Issue.record("expected an http callback")
            return
        }
        #expect(http.method == "POST")
        #expect(http.body == ["amount": 12])
    }

    @Test(arguments: [
        Callback.http(HTTPCallback(method: "GET", url: "https://a.example", headers: ["A": "b"], query: ["q": "1"], body: ["x": [1, 2]])),
        .delay(DelayCallback(duration: .seconds(2))),
        .transform(TransformCallback(set: [.init(path: "a.b", value: "${input.x}")])),
        .log(LogCallback(message: "hi", level: .warning)),
        .workflow(ChildWorkflowCallback(workflow: "child", input: ["k": "v"])),
        .handler(HandlerCallback(name: "send_invoice", input: ["id": 7], queue: "billing")),
        .llm(LLMCallback(prompt: "p", system: "s", model: "m", temperature: 0.2, maxTokens: 100, schema: ["type": "object"])),
    ])
    func everyCallbackRoundTripsWithATypeDiscriminator(callback: Callback) throws {
        let data = try JSONEncoder().encode(callback)
        let object = try JSONValue(jsonData: data)
        #expect(object["type"] == .string(callback.typeName))
        #expect(try JSONDecoder().decode(Callback.self, from: data) == callback)
    }

    @Test func reportsCarryTheOutcomeAsStatusAndError() throws {
        let report = TaskReport(
            executionID: "e", taskID: "e/main/s/1#1", attempt: 1,
            outcome: .failed(TaskFailure(errorClass: "http_5xx", message: "HTTP 503", details: ["status": 503])),
            workerID: "w-1", fencingToken: 42, startedAt: Date(timeIntervalSince1970: 1), finishedAt: Date(timeIntervalSince1970: 2))
        let object = try JSONValue(jsonData: JSONEncoder().encode(report))
        #expect(object["outcome"] == ["status": "failed", "error": ["class": "http_5xx", "message": "HTTP 503", "details": ["status": 503]]])
        #expect(object["fencing_token"] == 42)
        #expect(object["started_at"] == 1000)
        #expect(try JSONDecoder().decode(TaskReport.self, from: JSONEncoder().encode(report)) == report)
    }

    @Test func anUnknownCallbackTypeIsAClearDecodingError() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Callback.self, from: Data(#"{"type": "shell", "command": "rm -rf /"}"#.utf8))
        }
    }
}
