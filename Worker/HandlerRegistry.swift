public import WorkflowJSON

/// What a handler learns about the task it runs.
public struct HandlerContext: Sendable {
    public var executionID: String
    public var taskID: String
    public var state: String
    /// 1 for the first attempt.
    public var attempt: Int

    public init(executionID: String, taskID: String, state: String, attempt: Int) {
        self.executionID = executionID
        self.taskID = taskID
        self.state = state
        self.attempt = attempt
    }
}

/// User code that a `handler` callback runs: takes the rendered input, returns the result.
public typealias Handler = @Sendable (JSONValue, HandlerContext) async throws -> JSONValue

/// A handler's way to fail with an error class that retry and catch rules can match.
public struct HandlerError: Error, Sendable {
    public var errorClass: String
    public var message: String

    public init(_ errorClass: String, _ message: String) {
        self.errorClass = errorClass
        self.message = message
    }
}

/// Handlers by name. Register them before the worker starts.
///
/// ```swift
/// var handlers = HandlerRegistry()
/// handlers.register("send_invoice") { input, context in
///     ["invoice": input["order_id"] ?? .null, "attempt": .integer(context.attempt)]
/// }
/// ```
public struct HandlerRegistry: Sendable {
    private var handlers: [String: Handler] = [:]

    public init() {}

    /// Registers `handler` under `name`, replacing any handler registered under it before.
    public mutating func register(_ name: String, _ handler: @escaping Handler) {
        handlers[name] = handler
    }

    /// The handler registered under `name`.
    public func handler(named name: String) -> Handler? { handlers[name] }

    /// Registered names, sorted.
    public var names: [String] { handlers.keys.sorted() }
}
