import Foundation
import Testing
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

/// Task messages, outcomes and reports are written by hand on the hot path; they must be the
/// documents their `Encodable` conformances write (compared parsed: member order may differ)
/// and decode back to the same values.
@Suite struct HandWrittenWireTests {
    static let callbacks: [Callback] = [
        .http(HTTPCallback(method: "POST", url: "https://a.example", headers: ["A": "b \"q\""], query: ["q": "1"], body: ["x": [1, 2.5, nil]])),
        .http(HTTPCallback(url: "https://a.example")),
        .delay(DelayCallback(duration: .seconds(2))),
        .transform(TransformCallback(set: [.init(path: "a.b", value: "${input.x}"), .init(path: "c", value: [:])])),
        .transform(TransformCallback(set: [])),
        .log(LogCallback(message: "hi\nthere", level: .warning)),
        .workflow(ChildWorkflowCallback(workflow: "child", input: ["k": "v"])),
        .workflow(ChildWorkflowCallback(workflow: "child", input: nil)),
        .handler(HandlerCallback(name: "send_invoice", input: ["id": 7], queue: "billing")),
        .handler(HandlerCallback(name: "noop", input: nil, queue: nil)),
        .llm(LLMCallback(prompt: "p", system: "s", model: "m", temperature: 0.2, maxTokens: 100, schema: ["type": "object"])),
        .llm(LLMCallback(prompt: "p", system: nil, model: nil, temperature: nil, maxTokens: nil, schema: nil)),
    ]

    private func expectSameDocument(_ handWritten: some Sequence<UInt8>, as value: some Encodable) throws {
        #expect(try JSONParser.parse(Array(handWritten)) == JSONValue(jsonData: JSONEncoder().encode(value)))
    }

    @Test(arguments: callbacks)
    func aTaskIsWrittenAsItsEncodableWritesIt(callback: Callback) throws {
        for timeout: Int64? in [5000, nil] {
            let task = StateTask(executionID: "e-1", taskID: "e-1/main/s#1", state: "s", attempt: 3, callback: callback, timeoutMilliseconds: timeout, queue: "q")
            try expectSameDocument(task.encodedJSON(), as: task)
            #expect(try JSONDecoder().decode(StateTask.self, from: task.encodedJSON()) == task)
        }
    }

    @Test func outcomesAndReportsAreWrittenAsTheirEncodablesWriteThem() throws {
        let outcomes: [TaskOutcome] = [
            .succeeded(["ok": true, "n": [1, -2.5, "é"]]), .succeeded(.null),
            .failed(TaskFailure(errorClass: "http_5xx", message: "boom", details: ["status": 503])),
            .failed(TaskFailure(errorClass: "timeout", message: "slow")),
        ]
        for outcome in outcomes {
            try expectSameDocument(outcome.encodedJSON(), as: outcome)
            for fencingToken: Int64? in [42, nil] {
                let report = TaskReport(
                    executionID: "e-1", taskID: "e-1/main/s#1", attempt: 2, outcome: outcome, workerID: "w-1",
                    fencingToken: fencingToken, startedAt: Date(timeIntervalSince1970: 1_764_000_000.25), finishedAt: Date(timeIntervalSince1970: 1_764_000_001))
                for written in [report.encodedJSON(), report.encodedJSON(encodedOutcome: outcome.encodedJSON())] {
                    try expectSameDocument(written, as: report)
                    #expect(try JSONValueDecoder().decode(TaskReport.self, from: written) == report)
                }
                let byReference = report.byReference("sha256:abc")
                try expectSameDocument(byReference.encodedJSON(), as: byReference)
            }
        }
    }
}
