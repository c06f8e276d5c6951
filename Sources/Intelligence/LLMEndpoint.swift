import CurlDriver
import Foundation
import WorkflowJSON
import WorkflowProtocol

/// The HTTP side every model client shares: a JSON `POST` through libcurl within the configured
/// timeout and size, transport failures and error statuses turned into ``LLMError`` kinds (408
/// `llm_timeout`, 429 `llm_rate_limited`, 5xx `llm_server_error`, other 4xx `llm_rejected`,
/// `Retry-After` kept). Messages name neither the endpoint nor the account: they end up in
/// execution histories that workflow owners read.
struct LLMEndpoint: Sendable {
    let configuration: LLMConfiguration
    private let http = CurlHTTPClient()

    init(configuration: LLMConfiguration) {
        self.configuration = configuration
    }

    /// Posts `body` to `url` with `headers` (JSON content type added); the answer's JSON.
    func post(_ body: JSONValue, to url: String, headers: [String: String]) async throws(LLMError) -> JSONValue? {
        let response: HTTPResponse
        do {
            response = try await http.perform(HTTPRequest(
                method: "POST", url: url, headers: headers.merging(["Content-Type": "application/json", "Accept": "application/json"]) { mine, _ in mine },
                body: Data(body.encodedString().utf8), timeout: configuration.timeout, maxResponseBytes: configuration.maxResponseBytes))
        } catch {
            throw failure(error)
        }
        let json = try? JSONValue(jsonData: response.body)
        guard (200..<300).contains(response.status) else {
            var failure = Self.failure(status: response.status, body: json)
            failure.retryAfterMilliseconds = response.headers["retry-after"].flatMap { TaskFailure.retryAfterMilliseconds(header: $0) }
            throw failure
        }
        return json
    }

    private func failure(_ error: HTTPClientError) -> LLMError {
        switch error {
        case .timeout: LLMError(.timeout, "no answer within \(configuration.timeout)")
        case .cancelled: LLMError(.cancelled, "the call was cancelled")
        case .tooLarge: LLMError(.badResponse, "the answer is larger than \(configuration.maxResponseBytes) bytes")
        case .invalidURL: LLMError(.unavailable, "LAZYRABBIT_LLM_URL is not an http or https URL")
        case .connection, .other: LLMError(.connection, "cannot reach the language model")
        }
    }

    private static func failure(status: Int, body: JSONValue?) -> LLMError {
        // OpenAI and Anthropic: {"error": {"message": ...}}; some servers: {"error": "..."} or {"message": ...}.
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

    /// A token count as the server gave it, within 0...2⁴⁰ (a hostile number must not trap).
    static func tokens(_ value: JSONValue?) -> Int {
        let limit = 1 << 40
        switch value {
        case .integer(let count)?: return min(max(count, 0), limit)
        case .double(let count)? where count.isFinite: return Int(min(max(count, 0), Double(limit)))
        default: return 0
        }
    }
}
