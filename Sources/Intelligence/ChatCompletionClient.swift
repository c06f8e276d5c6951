import CurlDriver
import Foundation
import WorkflowProtocol
import WorkflowJSON

/// A ``ChatModel`` over HTTP: `POST {baseURL}/chat/completions` in OpenAI's wire format, through
/// libcurl. Statuses become ``LLMError`` kinds (408 `llm_timeout`, 429 `llm_rate_limited`, 5xx
/// `llm_server_error`, other 4xx `llm_rejected`). Messages name neither the endpoint nor the
/// account: they end up in execution histories that workflow owners read.
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
        } catch {
            throw Self.failure(error, configuration: configuration)
        }
        let json = try? JSONValue(jsonData: response.body)
        guard (200..<300).contains(response.status) else {
            var failure = Self.failure(status: response.status, body: json)
            failure.retryAfterMilliseconds = response.headers["retry-after"].flatMap { TaskFailure.retryAfterMilliseconds(header: $0) }
            throw failure
        }
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

    private static func failure(_ error: HTTPClientError, configuration: LLMConfiguration) -> LLMError {
        switch error {
        case .timeout: LLMError(.timeout, "no answer within \(configuration.timeout)")
        case .cancelled: LLMError(.cancelled, "the call was cancelled")
        case .tooLarge: LLMError(.badResponse, "the answer is larger than \(configuration.maxResponseBytes) bytes")
        case .invalidURL: LLMError(.unavailable, "LAZYRABBIT_LLM_URL is not an http or https URL")
        case .connection, .other: LLMError(.connection, "cannot reach the language model")
        }
    }

    private static func failure(status: Int, body: JSONValue?) -> LLMError {
        // OpenAI: {"error": {"message": ...}}; some servers: {"error": "..."} or {"message": ...}.
        let detail = body?["error"]?["message"]?.stringValue ?? body?["error"]?.stringValue ?? body?["message"]?.stringValue
        let said = detail.map { ": \($0.prefix(300))" } ?? ""
        switch status {
        case 401, 403: return LLMError(.rejected, "HTTP \(status): the language model refused the credentials")
        case 408: return LLMError(.timeout, "HTTP 408\(said)")
        case 429: return LLMError(.rateLimited, "HTTP 429\(said)")
        case 500...599: return LLMError(.serverError, "HTTP \(status)\(said)")
        default: return LLMError(.rejected, "HTTP \(status)\(said)")
        }
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
            promptTokens: tokens(usage?["prompt_tokens"]), completionTokens: tokens(usage?["completion_tokens"]),
            finishReason: choice["finish_reason"]?.stringValue)
    }

    /// A token count as the server gave it, within 0...2⁴⁰ (a hostile number must not trap).
    private static func tokens(_ value: JSONValue?) -> Int {
        let limit = 1 << 40
        switch value {
        case .integer(let count)?: return min(max(count, 0), limit)
        case .double(let count)? where count.isFinite: return Int(min(max(count, 0), Double(limit)))
        default: return 0
        }
    }
}
