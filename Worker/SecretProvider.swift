import Foundation
import WorkflowExpressions
public import WorkflowJSON
public import WorkflowProtocol

/// Looks up `${secret.NAME}` references when a worker makes a call, so secrets never enter a
/// workflow document, a context or a log.
public struct SecretProvider: Sendable {
    private let lookup: @Sendable (String) -> String?

    /// Secrets from the environment: `${secret.CRM_TOKEN}` reads `LAZYRABBIT_SECRET_CRM_TOKEN`.
    public static let environment = SecretProvider { name in
        ProcessInfo.processInfo.environment["LAZYRABBIT_SECRET_\(name)"]
    }

    /// Secrets from a fixed table (tests).
    public static func fixed(_ secrets: [String: String]) -> SecretProvider {
        SecretProvider { secrets[$0] }
    }

    public init(lookup: @escaping @Sendable (String) -> String?) {
        self.lookup = lookup
    }

    /// `text` with every `${secret.NAME}` replaced by the secret's value.
    /// - Throws: ``TaskFailure`` of class `secret_missing` naming the secret that is not set.
    public func substitute(in text: String) throws(TaskFailure) -> String {
        var result = text
        for name in Template.secretReferences(in: text) {
            guard let value = lookup(name) else {
                throw TaskFailure(errorClass: "secret_missing", message: "secret `\(name)` is not set (LAZYRABBIT_SECRET_\(name))")
            }
            result = result.replacingOccurrences(of: "${secret.\(name)}", with: value)
        }
        return result
    }

    /// `value` with secrets substituted in every string inside it.
    public func substitute(in value: JSONValue) throws(TaskFailure) -> JSONValue {
        switch value {
        case .string(let text): return .string(try substitute(in: text))
        case .array(let elements):
            var result: [JSONValue] = []
            for element in elements { result.append(try substitute(in: element)) }
            return .array(result)
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, member) in members { result[key] = try substitute(in: member) }
            return .object(result)
        default:
            return value
        }
    }
}
