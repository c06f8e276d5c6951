import Foundation
import Hummingbird
import LazyRabbitCoordinator
import NIOCore
import WorkflowDSL
import WorkflowJSON

extension APIError {
    /// The one place any error becomes an HTTP answer: control-plane codes, JSON decoding
    /// errors, Hummingbird's own errors, and anything else as a 500 that leaks nothing.
    init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as ControlPlaneError:
            self = Self.mapping(error)
        case let error as DecodingError:
            self = Self.mapping(error)
        case is NIOTooManyBytesError:
            self = APIError(.contentTooLarge, code: "payload_too_large", "the request body is larger than the limit")
        case let error as HTTPError:
            self = Self.mapping(error)
        default:
            self = APIError(.internalServerError, code: "internal", "internal server error")
        }
    }

    private static func mapping(_ error: ControlPlaneError) -> APIError {
        switch error.code {
        case .notFound:
            return APIError(.notFound, code: error.code.rawValue, error.message)
        case .conflict:
            return APIError(.conflict, code: error.code.rawValue, error.message)
        case .quotaExceeded:
            return APIError(.forbidden, code: error.code.rawValue, error.message)
        case .tooManyUnfinished:
            return APIError(.tooManyRequests, code: error.code.rawValue, error.message)
        case .invalidInput:
            return APIError(.unprocessableContent, code: error.code.rawValue, error.message)
        case .invalidWorkflow:
            return APIError(.unprocessableContent, code: error.code.rawValue, error.message, details: .array(error.diagnostics.map(json)))
        }
    }

    /// A diagnostic as error details and draft answers carry it.
    static func json(_ diagnostic: Diagnostic) -> JSONValue {
        [
            "severity": .string(diagnostic.severity.rawValue), "code": .string(diagnostic.code), "message": .string(diagnostic.message),
            "path": .string(diagnostic.path), "line": diagnostic.line.map(JSONValue.integer) ?? .null,
            "column": diagnostic.column.map(JSONValue.integer) ?? .null, "hint": diagnostic.hint.map(JSONValue.string) ?? .null,
        ]
    }

    private static func mapping(_ error: DecodingError) -> APIError {
        let (path, problem): ([any CodingKey], String) =
            switch error {
            case .typeMismatch(let type, let context): (context.codingPath, "expected \(Self.name(of: type))")
            case .valueNotFound(let type, let context): (context.codingPath, "expected \(Self.name(of: type)), found null")
            case .keyNotFound(let key, let context): (context.codingPath + [key], "required field is missing")
            case .dataCorrupted(let context): (context.codingPath, context.underlyingError.map { "not valid JSON (\($0.localizedDescription))" } ?? context.debugDescription)
            @unknown default: ([], "cannot decode the body")
            }
        let joined = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        let field = String(joined.drop { $0 == "." })
        let message = field.isEmpty ? "malformed JSON body: \(problem)" : "malformed JSON body at `\(field)`: \(problem)"
        return APIError(.badRequest, code: "malformed_json", message, details: ["path": .string(field)])
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "a boolean"
        case is Double.Type: "a number"
        default: "\(type)"
        }
    }

    private static func mapping(_ error: HTTPError) -> APIError {
        let (code, fallback): (String, String) =
            switch error.status {
            case .badRequest: ("bad_request", "bad request")
            case .unauthorized: ("unauthorized", "authentication required")
            case .forbidden: ("forbidden", "forbidden")
            case .notFound: ("not_found", "not found")
            case .methodNotAllowed: ("method_not_allowed", "method not allowed")
            case .contentTooLarge: ("payload_too_large", "the request body is larger than the limit")
            case .unsupportedMediaType: ("unsupported_media_type", "unsupported content type")
            case .tooManyRequests: ("rate_limited", "too many requests")
            default: (error.status.code >= 500 ? "internal" : "http_\(error.status.code)", error.status.reasonPhrase)
            }
        return APIError(error.status, code: code, error.body ?? fallback, headers: error.headers)
    }
}
