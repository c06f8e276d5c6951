public import WorkflowJSON

/// One message of a chat completion request.
public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }

    var json: JSONValue { ["role": .string(role.rawValue), "content": .string(content)] }
}

/// What to ask: the conversation and how to answer it.
public struct ChatRequest: Sendable, Equatable {
    public var messages: [ChatMessage]
    /// `nil`: the configuration's default model.
    public var model: String?
    public var temperature: Double?
    public var maxTokens: Int?
    /// Ask for JSON of this JSON Schema as the answer (`response_format: json_schema`, not strict).
    public var answerSchema: JSONValue?

    public init(
        messages: [ChatMessage], model: String? = nil, temperature: Double? = nil, maxTokens: Int? = nil, answerSchema: JSONValue? = nil
    ) {
        self.messages = messages
        self.model = model
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.answerSchema = answerSchema
    }
}

/// The answer: its text, the model that wrote it and the tokens it cost.
public struct ChatCompletion: Sendable, Equatable {
    public var text: String
    public var model: String
    public var promptTokens: Int
    public var completionTokens: Int
    /// Why the model stopped (`stop`, `length` when cut off at the token limit), when it says.
    public var finishReason: String?
    /// Answered from an ``AnswerCache`` (kept, or shared with an identical request in flight)
    /// without asking the model: the tokens are what the first answer cost, not spent again.
    public var cached: Bool

    public init(text: String, model: String, promptTokens: Int, completionTokens: Int, finishReason: String? = nil, cached: Bool = false) {
        self.text = text
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.finishReason = finishReason
        self.cached = cached
    }
}

/// Anything that answers a ``ChatRequest``: ``ChatCompletionClient`` over HTTP.
public protocol ChatModel: Sendable {
    func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion
}
