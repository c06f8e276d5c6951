public import Foundation

/// The body of a message on a task queue: a whole ``StateTask`` or, when the task was too large,
/// a ``TaskStub`` naming where it is stored. A body with `payload_ref` is a stub.
public enum TaskMessage: Sendable, Equatable {
    case task(StateTask)
    case stub(TaskStub)

    /// The message in `body`, or `nil` if it is undecodable or of a version this build does not know.
    public static func decode(_ body: Data) -> TaskMessage? {
        let decoder = JSONDecoder()
        if let probe = try? decoder.decode(Probe.self, from: body), probe.payloadRef != nil {
            guard let stub = try? decoder.decode(TaskStub.self, from: body), stub.version <= StateTask.currentVersion else { return nil }
            return .stub(stub)
        }
        guard let task = try? decoder.decode(StateTask.self, from: body), task.version <= StateTask.currentVersion else { return nil }
        return .task(task)
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

    private struct Probe: Decodable {
        var payloadRef: String?
        private enum CodingKeys: String, CodingKey { case payloadRef = "payload_ref" }
    }
}
