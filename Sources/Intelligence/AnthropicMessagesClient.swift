import WorkflowJSON

/// A ``ChatModel`` over Anthropic's Messages API: `POST {baseURL}/messages` with `x-api-key` and
/// `anthropic-version`, system messages in the top-level `system`, the rest as `messages`;
/// `max_tokens` is required there, so a request without one asks for ``defaultMaxTokens``. The
/// answer's text blocks are the text, `usage.input_tokens` and `output_tokens` the tokens, a
/// `max_tokens` stop is `finish_reason` `length` and a `refusal` stop is `llm_refused`. Anthropic
/// has no JSON-schema response format: a schema travels in the system message (``LLMCallRunner``
/// puts it there) and the answer's JSON is read from its text. Errors as ``LLMEndpoint`` maps
/// them (Anthropic's 529 "overloaded" is a 5xx: `llm_server_error`).
///
/// ```swift
/// let client = AnthropicMessagesClient(configuration: LLMConfiguration(
///     provider: .anthropic, baseURL: "https://api.anthropic.com/v1", apiKey: key, defaultModel: "claude-3-5-haiku-latest"))
/// ```
public struct AnthropicMessagesClient: ChatModel {
    public let configuration: LLMConfiguration
    private let endpoint: LLMEndpoint

    /// The API version sent as `anthropic-version`.
    public static let apiVersion = "2023-06-01"
    /// `max_tokens` of a request that sets none.
    public static let defaultMaxTokens = 4096

    public init(configuration: LLMConfiguration) {
        self.configuration = configuration
        endpoint = LLMEndpoint(configuration: configuration)
    }

    public func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion {
        var headers = ["anthropic-version": Self.apiVersion]
        if let key = configuration.apiKey { headers["x-api-key"] = key }
        let model = request.model ?? configuration.defaultModel
        let json = try await endpoint.post(Self.body(of: request, model: model), to: configuration.endpointURL("messages"), headers: headers)
        return try Self.completion(from: json, fallbackModel: model)
    }

    /// `model`, `max_tokens`, the system text, the other messages, and the temperature when set.
    static func body(of request: ChatRequest, model: String) -> JSONValue {
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        var body: [String: JSONValue] = [
            "model": .string(model), "max_tokens": .integer(request.maxTokens ?? defaultMaxTokens),
            "messages": .array(request.messages.filter { $0.role != .system }.map(\.json)),
        ]
        if !system.isEmpty { body["system"] = .string(system) }
        if let temperature = request.temperature { body["temperature"] = .double(min(temperature, 1)) }
        return .object(body)
    }

    static func completion(from json: JSONValue?, fallbackModel: String) throws(LLMError) -> ChatCompletion {
        if json?["type"] == "error" {
            // An error in a 200 (seen behind proxies): the server's trouble, worth another model.
            throw LLMError(.serverError, "the answer is an error: \(json?["error"]?["message"]?.stringValue?.prefix(300) ?? "no message")")
        }
        guard let json, let blocks = json["content"]?.arrayValue else { throw LLMError(.badResponse, "the answer has no `content`") }
        let stop = json["stop_reason"]?.stringValue
        let textBlocks = blocks.filter { $0["type"] == "text" }
        guard textBlocks.allSatisfy({ $0["text"]?.stringValue != nil }) else { throw LLMError(.badResponse, "a text block has no `text`") }
        let text = textBlocks.compactMap { $0["text"]?.stringValue }.joined()
        if stop == "refusal" { throw LLMError(.refused, "the model refused: \(text.prefix(300))") }
        // No text block at all is an empty answer only when the model says it ended its turn.
        guard !textBlocks.isEmpty || (blocks.isEmpty && stop == "end_turn") else { throw LLMError(.badResponse, "the answer has no text block") }
        let usage = json["usage"]
        return ChatCompletion(
            text: text, model: json["model"]?.stringValue ?? fallbackModel,
            promptTokens: LLMEndpoint.tokens(usage?["input_tokens"]), completionTokens: LLMEndpoint.tokens(usage?["output_tokens"]),
            finishReason: stop.map { $0 == "max_tokens" ? "length" : "stop" })
    }
}
