public import Foundation

/// One HTTP request for ``CurlHTTPClient``.
///
/// ```swift
/// var request = HTTPRequest(method: "POST", url: "https://api.example.com/orders",
///                           headers: ["Content-Type": "application/json"], body: Data(#"{"id":1}"#.utf8))
/// request.timeout = .seconds(5)
/// request.connectTo = try await CurlHTTPClient.resolve(host: "api.example.com", port: 443)  // after checking them
/// ```
public struct HTTPRequest: Sendable, Equatable {
    /// The default cap on a response body: 10 MiB.
    public static let defaultMaxResponseBytes = 10 * 1024 * 1024

    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, ...
    public var method: String
    /// An absolute `http` or `https` URL; any other scheme is refused.
    public var url: String
    /// Request headers, sent as given.
    public var headers: [String: String]
    public var body: Data?
    /// The limit for the whole transfer, connecting included. Default 30 s.
    public var timeout: Duration
    /// Numeric addresses (IPv4 or IPv6) the URL's host is pinned to: the client connects only to
    /// these and never resolves the name itself, so a host checked by the caller cannot be
    /// re-pointed between the check and the connection (DNS rebinding). `nil`: resolve normally.
    public var connectTo: [String]?
    /// The transfer is aborted with ``HTTPClientError/tooLarge`` once the body passes this — an
    /// error status (400 or more) is answered instead, its body cut at this size. Default 10 MiB.
    public var maxResponseBytes: Int

    public init(
        method: String = "GET", url: String, headers: [String: String] = [:], body: Data? = nil, timeout: Duration = .seconds(30),
        connectTo: [String]? = nil, maxResponseBytes: Int = HTTPRequest.defaultMaxResponseBytes
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTo = connectTo
        self.maxResponseBytes = maxResponseBytes
    }
}
