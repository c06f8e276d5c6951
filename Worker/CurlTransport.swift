import CurlDriver
import Foundation
public import WorkflowProtocol

/// ``HTTPTransport`` over libcurl: the one production network path of `http` callbacks.
public struct CurlTransport: HTTPTransport {
    private let client = CurlHTTPClient()
    /// A backstop for requests whose state sets no timeout; a state's timeout cancels sooner.
    public var requestTimeout: Duration

    public init(requestTimeout: Duration = .seconds(300)) {
        self.requestTimeout = requestTimeout
    }

    public func resolve(host: String, port: Int) async throws(TaskFailure) -> [String] {
        do {
            return try await CurlHTTPClient.resolve(host: host, port: port)
        } catch {
            throw Self.failure(error)
        }
    }

    public func send(_ request: HTTPCallRequest) async throws(TaskFailure) -> HTTPCallResponse {
        let curlRequest = HTTPRequest(
            method: request.method, url: request.url, headers: request.headers, body: request.body,
            timeout: requestTimeout, connectTo: request.connectTo, maxResponseBytes: request.maxResponseBytes)
        do {
            let response = try await client.perform(curlRequest)
            return HTTPCallResponse(status: response.status, headers: response.headers, body: response.body)
        } catch {
            throw Self.failure(error)
        }
    }

    private static func failure(_ error: HTTPClientError) -> TaskFailure {
        let errorClass = switch error {
        case .timeout: "timeout"
        case .connection: "connection"
        case .tooLarge: "response_too_large"
        case .invalidURL: "invalid_callback"
        case .cancelled: "cancelled"
        case .other: "http_error"
        }
        return TaskFailure(errorClass: errorClass, message: error.description)
    }
}
