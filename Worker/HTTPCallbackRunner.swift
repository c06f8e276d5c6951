import Foundation
public import WorkflowDSL
public import WorkflowJSON
public import WorkflowProtocol

/// Makes the request of an `http` callback: substitutes secrets, checks the destination against
/// the ``AddressPolicy`` on every address DNS returns (so a name that resolves to a private address
/// is refused at call time), pins the connection to the checked addresses, and shapes the result.
///
/// Status 4xx fails with `http_4xx` (429: `http_429`), 5xx with `http_5xx`; redirects are not followed.
public struct HTTPCallbackRunner: Sendable {
    public var transport: any HTTPTransport
    public var policy: AddressPolicy
    /// Largest response body kept (default 10 MiB).
    public var maxResponseBytes: Int

    public init(transport: any HTTPTransport, policy: AddressPolicy, maxResponseBytes: Int = 10 << 20) {
        self.transport = transport
        self.policy = policy
        self.maxResponseBytes = maxResponseBytes
    }

    /// Runs `call` and returns `{status, headers, body}`; `body` is parsed JSON when the response is JSON.
    ///
    /// - Parameter idempotencyKey: sent as `Idempotency-Key` unless the callback sets that header
    ///   itself: the task id, the same on every redelivery of one attempt, so the receiving service
    ///   can apply a repeated request once.
    public func run(_ call: HTTPCallback, secrets: SecretProvider, idempotencyKey: String? = nil) async throws(TaskFailure) -> JSONValue {
        let url = try secrets.substitute(in: call.url)
        guard var components = URLComponents(string: url), let bracketed = components.host, !bracketed.isEmpty else {
            throw TaskFailure(errorClass: "invalid_callback", message: "`\(call.url)` is not a valid URL")
        }
        // An IPv6 literal is written `[::1]` in a URL; the address itself is `::1`.
        let host = bracketed.hasPrefix("[") && bracketed.hasSuffix("]") ? String(bracketed.dropFirst().dropLast()) : bracketed
        if let violation = policy.violation(forURL: url) {
            throw TaskFailure(errorClass: "blocked_address", message: violation)
        }
        if !call.query.isEmpty {
            var items = components.queryItems ?? []
            for name in call.query.keys.sorted() {
                items.append(URLQueryItem(name: name, value: try secrets.substitute(in: call.query[name] ?? "")))
            }
            components.queryItems = items
        }
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        let addresses = try await transport.resolve(host: host, port: port)
        for address in addresses {
            if let violation = policy.violation(forResolvedAddress: address, host: host) {
                throw TaskFailure(errorClass: "blocked_address", message: violation)
            }
        }
        var headers: [String: String] = [:]
        for (name, value) in call.headers { headers[name] = try secrets.substitute(in: value) }
        if let idempotencyKey, !headers.keys.contains(where: { $0.lowercased() == "idempotency-key" }) {
            headers["Idempotency-Key"] = idempotencyKey
        }
        var body: Data?
        if let payload = call.body {
            body = try secrets.substitute(in: payload).encodedData()
            if !headers.keys.contains(where: { $0.lowercased() == "content-type" }) { headers["Content-Type"] = "application/json" }
        }
        let request = HTTPCallRequest(
            method: call.method.uppercased(), url: components.string ?? url, headers: headers, body: body,
            connectTo: addresses, maxResponseBytes: maxResponseBytes)
        let response = try await transport.send(request)
        return try Self.result(of: response)
    }

    private static func result(of response: HTTPCallResponse) throws(TaskFailure) -> JSONValue {
        let contentType = response.headers["content-type"] ?? ""
        let body: JSONValue
        if contentType.contains("json"), let parsed = try? JSONValue(jsonData: response.body) {
            body = parsed
        } else {
            body = .string(String(decoding: response.body, as: UTF8.self))
        }
        var members: [String: JSONValue] = [
            "status": .integer(response.status),
            "headers": .object(response.headers.mapValues(JSONValue.string)),
            "body": body,
        ]
        if response.status >= 400, let asked = response.headers["retry-after"].flatMap({ TaskFailure.retryAfterMilliseconds(header: $0) }) {
            members[TaskFailure.retryAfterKey] = .integer(asked)
        }
        let result = JSONValue.object(members)
        switch response.status {
        case 200..<400:
            return result
        case 429:
            throw TaskFailure(errorClass: "http_429", message: "HTTP 429 Too Many Requests", details: result)
        case 400..<500:
            throw TaskFailure(errorClass: "http_4xx", message: "HTTP \(response.status)", details: result)
        default:
            throw TaskFailure(errorClass: "http_5xx", message: "HTTP \(response.status)", details: result)
        }
    }
}
