import Foundation
public import WorkflowJSON

/// A local server that speaks Anthropic's Messages API wire format, for tests of what needs a
/// language model: `POST /v1/messages` answers the next scripted reply as a real message
/// (`content` text blocks, `stop_reason`, `usage.input_tokens`/`output_tokens`, `model`), or a
/// scripted error status with Anthropic's error body. Requests are kept for assertions.
///
/// ```swift
/// let server = try AnthropicMessagesServer([.text("Hello")])
/// defer { server.stop() }
/// // LAZYRABBIT_LLM_PROVIDER=anthropic LAZYRABBIT_LLM_URL=\(server.baseURL)
/// ```
public final class AnthropicMessagesServer: Sendable {
    /// One scripted answer.
    public enum Reply: Sendable {
        /// A message with one text block, stopped for `stopReason` (`end_turn`, `max_tokens`, `refusal`).
        case text(String, stopReason: String = "end_turn")
        /// Anthropic's error body (`{"type": "error", "error": {"type": …, "message": …}}`) with `status`.
        case error(status: Int, type: String, message: String)
    }

    private let server: TestHTTPServer

    /// The API base URL (`…/v1`) to configure.
    public var baseURL: String { server.baseURL + "/v1" }

    /// Every request received on the messages path, in order (headers included).
    public var requests: [TestHTTPRequest] { server.requests.filter { $0.path == "/v1/messages" } }

    /// Starts on an ephemeral port of 127.0.0.1; the replies are given in order, then 500s.
    public init(_ replies: [Reply]) throws {
        let script = ReplyScript(replies, exhausted: .error(status: 500, type: "api_error", message: "no scripted reply left"))
        server = try TestHTTPServer { request in Self.response(to: request, script: script) }
    }

    private static func response(to request: TestHTTPRequest, script: ReplyScript<Reply>) -> TestHTTPResponse {
        guard request.method == "POST", request.path == "/v1/messages", let body = request.json else {
            return .json(["type": "error", "error": ["type": "not_found_error", "message": "Not found"]], status: 404)
        }
        switch script.next() {
        case .text(let text, let stopReason):
            return .json([
                "id": "msg_test", "type": "message", "role": "assistant", "model": .string(body["model"]?.stringValue ?? "?"),
                "content": [["type": "text", "text": .string(text)]], "stop_reason": .string(stopReason), "stop_sequence": nil,
                "usage": ["input_tokens": 21, "output_tokens": 9],
            ])
        case .error(let status, let type, let message):
            return .json(["type": "error", "error": ["type": .string(type), "message": .string(message)]], status: status)
        }
    }

    public func stop() { server.stop() }
}
