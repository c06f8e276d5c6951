import CCurl
import Foundation

/// An HTTP client over libcurl, for the worker's HTTP steps.
///
/// Each request runs `curl_easy_perform` on a thread of its own (never on Swift's cooperative
/// pool), follows no redirects, speaks only `http` and `https`, enforces the request's timeout
/// and body cap, and aborts when the calling task is cancelled.
///
/// ```swift
/// let client = CurlHTTPClient()
/// let response = try await client.perform(HTTPRequest(url: "http://127.0.0.1:8080/health", timeout: .seconds(2)))
/// ```
public struct CurlHTTPClient: Sendable {
    /// `curl_global_init`, run once per process before the first handle.
    private static let globalInitSucceeded: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// Makes a client; clients hold no state, so one can be shared freely.
    public init() {}

    /// Sends `request` and returns whatever the server answered, any status included.
    ///
    /// - Throws: ``HTTPClientError`` when no complete response arrived (timeout, connection,
    ///   body over the cap, bad URL, task cancelled).
    public func perform(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        guard Self.globalInitSucceeded else { throw .other("curl_global_init failed") }
        let target = try HTTPTarget(request.url)
        let cancellation = CancellationFlag()
        let result = await withTaskCancellationHandler {
            await DedicatedThread.run(name: "CurlHTTPClient.transfer") {
                CurlTransfer.run(request, target: target, cancellation: cancellation)
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }

    /// Resolves `host` to numeric addresses (IPv4 and IPv6, duplicates removed) with `getaddrinfo`,
    /// on a thread of its own. Check them, then pass them as ``HTTPRequest/connectTo``.
    ///
    /// - Throws: ``HTTPClientError/connection(_:)`` when the name does not resolve.
    public static func resolve(host: String, port: Int) async throws(HTTPClientError) -> [String] {
        try await DedicatedThread.run(name: "CurlHTTPClient.resolve") {
            AddressResolver.lookup(host: host, port: port)
        }.get()
    }
}
