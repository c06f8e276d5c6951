public import Foundation
public import WorkflowProtocol

/// A request as the transport sends it: secrets substituted, addresses checked.
public struct HTTPCallRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: Data?
    /// The checked numeric addresses the connection must use.
    public var connectTo: [String]
    public var maxResponseBytes: Int

    public init(method: String, url: String, headers: [String: String], body: Data?, connectTo: [String], maxResponseBytes: Int) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTo = connectTo
        self.maxResponseBytes = maxResponseBytes
    }
}

/// A response: status, lower-cased header names, body.
public struct HTTPCallResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// The network under ``HTTPCallbackRunner``: libcurl in production (``CurlTransport``).
public protocol HTTPTransport: Sendable {
    /// The numeric addresses `host` resolves to.
    func resolve(host: String, port: Int) async throws(TaskFailure) -> [String]
    /// Sends `request`, connecting only to `request.connectTo`. Failures use the classes
    /// `timeout`, `connection`, `response_too_large`, `cancelled`.
    func send(_ request: HTTPCallRequest) async throws(TaskFailure) -> HTTPCallResponse
}
