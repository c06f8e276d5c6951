/// What a task message carries instead of a ``StateTask`` whose JSON is over the size threshold:
/// who and what it is, and `payload_ref`, where the full task JSON is stored (version 2,
/// docs/protocol.md, "Large payloads"). The worker fetches the task by reference before running it.
public struct TaskStub: Sendable, Codable, Equatable {
    /// The version of every stub.
    public static let currentVersion = 2

    public var version: Int
    public var executionID: String
    public var taskID: String
    public var state: String
    public var attempt: Int
    public var queue: String
    /// Where the full ``StateTask`` JSON is stored: `sha256:<hex>` of it.
    public var payloadRef: String

    private enum CodingKeys: String, CodingKey {
        case version, executionID = "execution_id", taskID = "task_id", state, attempt, queue, payloadRef = "payload_ref"
    }

    public init(executionID: String, taskID: String, state: String, attempt: Int, queue: String, payloadRef: String) {
        self.version = Self.currentVersion
        self.executionID = executionID
        self.taskID = taskID
        self.state = state
        self.attempt = attempt
        self.queue = queue
        self.payloadRef = payloadRef
    }
}
