public import Hummingbird
public import WorkflowJSON

/// Every error the REST API answers with, rendered in one shape:
/// `{"error": {"code": "...", "message": "...", "details": ...}}`.
///
/// Errors from the rest of the system (control plane, decoding, Hummingbird, anything unknown)
/// are turned into one of these in exactly one place, ``APIError/init(_:)``.
public struct APIError: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable machine-readable code (`not_found`, `invalid_workflow`, `rate_limited`, ...).
    public var code: String
    /// What went wrong, for people.
    public var message: String
    /// Structured context: diagnostics, failed checks, the bad field; `null` when there is none.
    public var details: JSONValue
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`, `Allow`).
    public var headers: HTTPFields

    /// An error response.
    public init(_ status: HTTPResponse.Status, code: String, _ message: String, details: JSONValue = .null, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// The JSON body: `{"error": {"code", "message", "details"}}`.
    public var body: JSONValue {
        ["error": ["code": .string(code), "message": .string(message), "details": details]]
    }

    /// Renders the error as a JSON response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        APIJSON.response(status: status, json: body, headers: headers)
    }
}

extension APIError {
    /// 400: the request (body, query, header) is malformed.
    static func badRequest(_ message: String, code: String = "bad_request", details: JSONValue = .null) -> APIError {
        APIError(.badRequest, code: code, message, details: details)
    }

    /// 401 with `WWW-Authenticate: Bearer`.
    static func unauthorized(_ message: String) -> APIError {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = #"Bearer realm="lazyrabbit""#
        return APIError(.unauthorized, code: "unauthorized", message, headers: headers)
    }

    /// 403: the principal's role does not allow the action.
    static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, code: "forbidden", message)
    }

    /// 503 with `Retry-After: 1`: a dependency cannot answer now.
    static func unavailable(_ message: String) -> APIError {
        APIError(.serviceUnavailable, code: "unavailable", message, headers: [.retryAfter: "1"])
    }

    /// 404 for a path no route serves.
    static func routeNotFound(_ path: String) -> APIError {
        APIError(.notFound, code: "not_found", "no route for \(path)")
    }
}
