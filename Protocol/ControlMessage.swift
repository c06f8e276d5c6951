/// A message from the coordinator to every worker (fanout), e.g. to stop a task whose result is no longer wanted.
public struct ControlMessage: Sendable, Codable, Equatable {
    public static let currentVersion = 1

    /// What the workers should do.
    public enum Command: String, Sendable, Codable {
        /// Cancel the callback of `taskID` if it runs here; its report, if any, will be ignored.
        case cancelTask = "cancel_task"
        /// Stop taking new tasks and finish the ones in flight (graceful drain).
        case drain
    }

    public var version: Int
    public var command: Command
    public var executionID: String?
    public var taskID: String?

    private enum CodingKeys: String, CodingKey {
        case version, command, executionID = "execution_id", taskID = "task_id"
    }

    public init(command: Command, executionID: String? = nil, taskID: String? = nil) {
        self.version = Self.currentVersion
        self.command = command
        self.executionID = executionID
        self.taskID = taskID
    }
}
