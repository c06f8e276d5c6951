import Foundation
import WorkflowJSON

/// A ``ChatModel`` over HTTP: `POST {baseURL}/chat/completions` in OpenAI's wire format, through
/// libcurl (``LLMEndpoint``: statuses become ``LLMError`` kinds, 408 `llm_timeout`, 429
/// `llm_rate_limited`, 5xx `llm_server_error`, other 4xx `llm_rejected`).
///
/// ```swift
/// let client = ChatCompletionClient(configuration: LLMConfiguration(baseURL: "http://127.0.0.1:8000/v1"))
/// let answer = try await client.complete(ChatRequest(messages: [ChatMessage(.user, "Say hi")]))
/// ```
public struct ChatCompletionClient: ChatModel {
    public let configuration: LLMConfiguration
    private let endpoint: LLMEndpoint

    public init(configuration: LLMConfiguration) {
        self.configuration = configuration
        endpoint = LLMEndpoint(configuration: configuration)
    }

    public func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion {
        let headers = configuration.apiKey.map { ["Authorization": "Bearer \($0)"] } ?? [:]
        let json = try await endpoint.post(body(of: request), to: configuration.endpointURL("chat/completions"), headers: headers)
        return try Self.completion(from: json, fallbackModel: model(of: request))
    }

    private func model(of request: ChatRequest) -> String { request.model ?? configuration.defaultModel }

    /// The request body: `model`, `messages`, and what else the request sets.
    private func body(of request: ChatRequest) -> JSONValue {
        var body: [String: JSONValue] = ["model": .string(model(of: request)), "messages": .array(request.messages.map(\.json))]
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if let maxTokens = request.maxTokens { body["max_tokens"] = .integer(maxTokens) }
        if let schema = request.answerSchema {
            body["response_format"] = ["type": "json_schema", "json_schema": ["name": "answer", "schema": schema, "strict": false]]
        }
        return .object(body)
    }

    private static func completion(from json: JSONValue?, fallbackModel: String) throws(LLMError) -> ChatCompletion {
        guard let json, let choice = json["choices"]?.arrayValue?.first, let message = choice["message"] else {
            throw LLMError(.badResponse, "the answer has no `choices[0].message`")
        }
        guard let text = message["content"]?.stringValue else {
            if let refusal = message["refusal"]?.stringValue { throw LLMError(.refused, "the model refused: \(refusal.prefix(300))") }
            throw LLMError(.badResponse, "the answer has no `choices[0].message.content`")
        }
        let usage = json["usage"]
        return ChatCompletion(
            text: text, model: json["model"]?.stringValue ?? fallbackModel,
            promptTokens: LLMEndpoint.tokens(usage?["prompt_tokens"]), completionTokens: LLMEndpoint.tokens(usage?["completion_tokens"]),
            finishReason: choice["finish_reason"]?.stringValue)
    }
}
