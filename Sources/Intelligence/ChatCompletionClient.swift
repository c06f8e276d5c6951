import CurlDriver
import Foundation
import WorkflowJSON

/// A ``ChatModel`` over HTTP: `POST {baseURL}/chat/completions` in OpenAI's wire format, through
/// libcurl. Statuses become ``LLMError`` kinds (429 `llm_rate_limited`, 5xx `llm_server_error`,
/// other 4xx `llm_rejected`), and the server's own error message is kept.
///
/// ```swift
/// let client = ChatCompletionClient(configuration: LLMConfiguration(baseURL: "http://127.0.0.1:8000/v1"))
/// let answer = try await client.complete(ChatRequest(messages: [ChatMessage(.user, "Say hi")]))
/// ```
public struct ChatCompletionClient: ChatModel {
    public let configuration: LLMConfiguration
    private let http = CurlHTTPClient()

    public init(configuration: LLMConfiguration) {
        self.configuration = configuration
    }

    public func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion {
        var headers = ["Content-Type": "application/json", "Accept": "application/json"]
        if let key = configuration.apiKey { headers["Authorization"] = "Bearer \(key)" }
        let response: HTTPResponse
        do {
            response = try await http.perform(HTTPRequest(
                method: "POST", url: configuration.completionsURL, headers: headers, body: Data(body(of: request).encodedString().utf8),
                timeout: configuration.timeout, maxResponseBytes: configuration.maxResponseBytes))
        } catch .timeout {
            throw LLMError(.timeout, "no answer from \(configuration.completionsURL) within \(configuration.timeout)")
        } catch {
            throw LLMError(.connection, "\(configuration.completionsURL): \(error)")
        }
        let json = try? JSONValue(jsonData: response.body)
        guard response.status == 200 else { throw Self.failure(status: response.status, body: json, raw: response.body) }
        return try Self.completion(from: json, fallbackModel: model(of: request))
    }

    private func model(of request: ChatRequest) -> String { request.model ?? configuration.defaultModel }

    /// The request body: `model`, `messages`, and what else the request sets.
    private func body(of request: ChatRequest) -> JSONValue {
        var body: [String: JSONValue] = ["model": .string(model(of: request)), "messages": .array(request.messages.map(\.json))]
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if let maxTokens = request.maxTokens { body["max_tokens"] = .integer(maxTokens) }
        if request.wantsJSON { body["response_format"] = ["type": "json_object"] }
        return .object(body)
    }

    private static func failure(status: Int, body: JSONValue?, raw: Data) -> LLMError {
        let detail = body?["error"]?["message"]?.stringValue ?? String(decoding: raw.prefix(300), as: UTF8.self)
        let message = "HTTP \(status): \(detail)"
        switch status {
        case 429: return LLMError(.rateLimited, message)
        case 500...599: return LLMError(.serverError, message)
        default: return LLMError(.rejected, message)
        }
    }

    private static func completion(from json: JSONValue?, fallbackModel: String) throws(LLMError) -> ChatCompletion {
        guard let json, let choice = json["choices"]?.arrayValue?.first, let text = choice["message"]?["content"]?.stringValue else {
            throw LLMError(.badResponse, "the answer has no `choices[0].message.content`")
        }
        let usage = json["usage"]
        return ChatCompletion(
            text: text, model: json["model"]?.stringValue ?? fallbackModel,
            promptTokens: Int(usage?["prompt_tokens"]?.doubleValue ?? 0), completionTokens: Int(usage?["completion_tokens"]?.doubleValue ?? 0))
    }
}
