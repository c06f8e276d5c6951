import Foundation
import Testing
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

/// Stubs and outcome references on the wire (docs/protocol.md, "Large payloads").
@Suite struct LargePayloadWireTests {
    static let task = StateTask(
        executionID: "e-1", taskID: "e-1/main/s/1#1", state: "s", attempt: 1,
        callback: .handler(HandlerCallback(name: "echo", input: ["n": 1])), timeoutMilliseconds: 5000, queue: "billing")

    @Test func aWholeTaskKeepsVersionOneAndDecodesAsATask() throws {
        let body = try JSONEncoder().encode(Self.task)
        #expect(try JSONValue(jsonData: body)["version"] == 1)
        #expect(TaskMessage.decode(body) == .task(Self.task))
    }

    @Test func aTaskWithANullReferenceIsATaskAndNonObjectsAreRefused() throws {
        var members = try #require(try JSONValue(jsonData: CompactJSONEncoder().encode(Self.task)).objectValue)
        members["payload_ref"] = .null
        #expect(TaskMessage.decode(Data(JSONValue.object(members).encodedString().utf8)) == .task(Self.task))
        #expect(TaskMessage.decode(Data("[1, 2]".utf8)) == nil)
        #expect(TaskMessage.decode(Data("not json".utf8)) == nil)
    }

    @Test func aStubCarriesTheIdentityAndTheReferenceOnly() throws {
        let stub = Self.task.stub(reference: "sha256:" + String(repeating: "ab", count: 32))
        let body = try TaskMessage.stub(stub).encoded()
        let object = try JSONValue(jsonData: body)
        #expect(object == [
            "version": 2, "execution_id": "e-1", "task_id": "e-1/main/s/1#1", "state": "s", "attempt": 1, "queue": "billing",
            "payload_ref": .string(stub.payloadRef),
        ])
        #expect(TaskMessage.decode(body) == .stub(stub))
        #expect(TaskMessage.decode(body)?.identity.taskID == Self.task.taskID)
    }

    @Test func aStubWrittenByHandDecodesAndANewerVersionIsRefused() throws {
        let json = #"{"version": 2, "execution_id": "e", "task_id": "t", "state": "s", "attempt": 3, "queue": "default", "payload_ref": "sha256:00"}"#
        guard case .stub(let stub) = TaskMessage.decode(Data(json.utf8)) else {
            Issue.record("expected a stub")
            return
        }
        #expect(stub.attempt == 3 && stub.payloadRef == "sha256:00")
        #expect(TaskMessage.decode(Data(json.replacingOccurrences(of: #""version": 2"#, with: #""version": 3"#).utf8)) == nil)
        #expect(TaskMessage.decode(Data(#"{"version": 1}"#.utf8)) == nil)
    }

    @Test func aReportByReferenceCarriesThePlaceholderAndTheReference() throws {
        let report = TaskReport(
            executionID: "e", taskID: "t", attempt: 1, outcome: .succeeded(["big": "…"]), workerID: "w", fencingToken: 1,
            startedAt: Date(timeIntervalSince1970: 1), finishedAt: Date(timeIntervalSince1970: 2))
        #expect(try JSONValue(jsonData: JSONEncoder().encode(report))["outcome_ref"] == nil, "an ordinary report is unchanged")
        #expect(report.version == 1)
        let byReference = report.byReference("sha256:ff")
        let object = try JSONValue(jsonData: JSONEncoder().encode(byReference))
        #expect(object["version"] == 2)
        #expect(object["outcome_ref"] == "sha256:ff")
        #expect(object["outcome"]?["error"]?["class"] == "payload_by_reference")
        #expect(try JSONDecoder().decode(TaskReport.self, from: JSONEncoder().encode(byReference)) == byReference)
    }
}
