public import Foundation

/// What the server answered, whatever the status (a 302 or a 500 is a response, not an error).
public struct HTTPResponse: Sendable, Equatable {
    /// The HTTP status code, e.g. 200.
    public var status: Int
    /// Header names lower-cased; a repeated header keeps its values joined with `, `.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
