public import Foundation
public import WorkflowJSON

/// What a ``TestHTTPServer`` route answers.
public struct TestHTTPResponse: Sendable {
    /// The HTTP status code, e.g. 200.
    public var status: Int
    /// Extra headers; the server adds `Content-Length` and `Connection: close` itself.
    public var headers: [String: String]
    public var body: Data
    /// How long the server waits before answering (to exercise client timeouts and cancellation).
    public var delay: Duration?
    /// `false` sends no `Content-Length`: the body ends when the connection closes, so a client
    /// cannot know its size in advance. Default `true`.
    public var sendsContentLength: Bool

    public init(status: Int = 200, headers: [String: String] = [:], body: Data = Data(), delay: Duration? = nil, sendsContentLength: Bool = true) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.sendsContentLength = sendsContentLength
    }

    /// A plain-text response.
    public static func text(_ text: String, status: Int = 200, delay: Duration? = nil) -> TestHTTPResponse {
        TestHTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Data(text.utf8), delay: delay)
    }

    /// A JSON response.
    public static func json(_ value: JSONValue, status: Int = 200, delay: Duration? = nil) -> TestHTTPResponse {
        TestHTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: value.encodedData(), delay: delay)
    }

    /// The reason phrase for the status line.
    var reason: String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
