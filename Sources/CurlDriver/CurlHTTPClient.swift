import CCurl
import Foundation

/// An HTTP client over libcurl, for the worker's HTTP steps.
///
/// Requests run on the process's ``CurlMultiLoop`` (one thread, never Swift's cooperative pool,
/// connections kept alive and reused); each follows no redirects, speaks only `http` and
/// `https`, enforces its timeout and body cap, and aborts when the calling task is cancelled.
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
            await CurlMultiLoop.shared.perform(request, target: target, cancellation: cancellation)
        } onCancel: {
            cancellation.cancel()
            CurlMultiLoop.shared.wakeUp()
        }
        return try result.get()
    }

    /// Resolves `host` to numeric addresses (IPv4 and IPv6, duplicates removed) with `getaddrinfo`,
    /// on a thread of its own; an address literal in its canonical form is returned as it is,
    /// without a lookup. Check them, then pass them as ``HTTPRequest/connectTo``.
    ///
    /// - Throws: ``HTTPClientError/connection(_:)`` when the name does not resolve.
    public static func resolve(host: String, port: Int) async throws(HTTPClientError) -> [String] {
        if let literal = AddressResolver.canonicalLiteral(host) { return [literal] }
        return try await DedicatedThread.run(name: "CurlHTTPClient.resolve") {
            AddressResolver.lookup(host: host, port: port)
        }.get()
    }
}
