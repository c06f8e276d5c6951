/// Why ``CurlHTTPClient/perform(_:)`` got no response.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request's timeout passed first.
    case timeout
    /// No connection, or it broke: refused, unreachable, name not resolved, TLS failure, reset.
    case connection(String)
    /// The response body passed the request's `maxResponseBytes`.
    case tooLarge
    /// The URL is not an absolute `http` or `https` URL, or curl could not parse it.
    case invalidURL
    /// The calling task was cancelled and the transfer aborted.
    case cancelled
    /// Anything else curl reported.
    case other(String)

    public var description: String {
        switch self {
        case .timeout: "the request timed out"
        case .connection(let message): "connection failed: \(message)"
        case .tooLarge: "the response body is larger than allowed"
        case .invalidURL: "not an http or https URL"
        case .cancelled: "the request was cancelled"
        case .other(let message): message
        }
    }
}
