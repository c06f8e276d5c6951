public import Foundation
public import WorkflowJSON

/// One request as ``TestHTTPServer`` received it.
public struct TestHTTPRequest: Sendable {
    /// `GET`, `POST`, ...
    public var method: String
    /// The path without the query, e.g. `/orders/42`.
    public var path: String
    /// The query parameters, percent-decoded; a repeated name keeps its last value.
    public var query: [String: String]
    /// Header names lower-cased; a repeated header keeps its values joined with `, `.
    public var headers: [String: String]
    public var body: Data

    /// Makes a request by hand (the server parses its own).
    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: Data = Data()) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON, or `nil` if it is not JSON.
    public var json: JSONValue? { try? JSONValue(jsonData: body) }
}
