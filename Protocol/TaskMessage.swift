public import Foundation
import WorkflowJSON

/// The body of a message on a task queue: a whole ``StateTask`` or, when the task was too large,
/// a ``TaskStub`` naming where it is stored. A body with `payload_ref` is a stub.
public enum TaskMessage: Sendable, Equatable {
    case task(StateTask)
    case stub(TaskStub)

    /// The message in `body`, or `nil` if it is undecodable or of a version this build does not know.
    /// The body is parsed once: a body with `payload_ref` decodes as a stub, any other as a task.
    public static func decode(_ body: some Collection<UInt8>) -> TaskMessage? {
        guard let envelope = try? JSONValueDecoder().decode(Envelope.self, from: body), envelope.message.version <= StateTask.currentVersion else {
            return nil
        }
        return envelope.message
    }

    /// The message's body: the task's or the stub's JSON.
    public func encoded() throws -> Data {
        switch self {
        case .task(let task): try JSONEncoder().encode(task)
        case .stub(let stub): try JSONEncoder().encode(stub)
        }
    }

    /// The schema version the body carries (the `lr-version` header).
    public var version: Int {
        switch self {
        case .task(let task): task.version
        case .stub(let stub): stub.version
        }
    }

    /// The task id, whichever form the message has.
    public var taskID: String {
        switch self {
        case .task(let task): task.taskID
        case .stub(let stub): stub.taskID
        }
    }

    /// The identity of the task (a stub of it, for a whole task with an empty reference).
    public var identity: TaskStub {
        switch self {
        case .task(let task): task.stub(reference: "")
        case .stub(let stub): stub
        }
    }

    /// Decodes a task or a stub from the same parsed body, choosing by `payload_ref`.
    private struct Envelope: Decodable {
        var message: TaskMessage

        init(from decoder: any Decoder) throws {
            let keys = try decoder.container(keyedBy: CodingKeys.self)
            let isStub = try keys.contains(.payloadRef) && !keys.decodeNil(forKey: .payloadRef)
            message = isStub ? .stub(try TaskStub(from: decoder)) : .task(try StateTask(from: decoder))
        }

        private enum CodingKeys: String, CodingKey { case payloadRef = "payload_ref" }
    }
}
