import Foundation
public import WorkflowJSON

/// A local server that speaks OpenAI's chat completions wire format, for tests of what needs a
/// language model (none is reachable from CI): `POST /v1/chat/completions` answers the next
/// scripted reply as a real completion (`choices[0].message.content`, `usage`, `model`), or a
/// scripted error status with OpenAI's error body. Requests are kept for assertions.
///
/// ```swift
/// let server = try ChatCompletionsServer([.content("Hello")])
/// defer { server.stop() }
/// // LAZYRABBIT_LLM_URL=\(server.baseURL)
/// ```
public final class ChatCompletionsServer: Sendable {
    /// One scripted answer.
    public enum Reply: Sendable {
        case content(String)
        /// OpenAI's error body with `status`, and a `Retry-After` header when given.
        case error(status: Int, message: String, retryAfter: String? = nil)
        case raw(JSONValue)
    }

    private let server: TestHTTPServer

    /// The API base URL (`…/v1`) to configure.
    public var baseURL: String { server.baseURL + "/v1" }

    /// Every request body received on the completions path, in order.
    public var bodies: [JSONValue] { server.requests.filter { $0.path == "/v1/chat/completions" }.compactMap(\.json) }

    /// The requests themselves (headers included).
    public var requests: [TestHTTPRequest] { server.requests }

    /// Starts on an ephemeral port of 127.0.0.1; the replies are given in order, then 500s, each
    /// after `delay` when one is given.
    public init(_ replies: [Reply], delay: Duration? = nil) throws {
        let script = ReplyScript(replies, exhausted: .error(status: 500, message: "no scripted reply left"))
        server = try TestHTTPServer { request in
            var response = Self.response(to: request, script: script)
            response.delay = delay
            return response
        }
    }

    private static func response(to request: TestHTTPRequest, script: ReplyScript<Reply>) -> TestHTTPResponse {
        guard request.method == "POST", request.path == "/v1/chat/completions", let body = request.json else {
            return .json(["error": ["message": "not found", "type": "invalid_request_error"]], status: 404)
        }
        switch script.next() {
        case .content(let text):
            return .json([
                "id": "chatcmpl-test", "object": "chat.completion", "created": 1_733_000_000,
                "model": .string(body["model"]?.stringValue ?? "?"),
                "choices": [["index": 0, "message": ["role": "assistant", "content": .string(text)], "finish_reason": "stop"]],
                "usage": ["prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19],
            ])
        case .error(let status, let message, let retryAfter):
            var response = TestHTTPResponse.json(["error": ["message": .string(message), "type": "server_error", "code": nil]], status: status)
            if let retryAfter { response.headers["Retry-After"] = retryAfter }
            return response
        case .raw(let value):
            return .json(value)
        }
    }

    public func stop() { server.stop() }
}
