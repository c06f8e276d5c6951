public import Foundation
public import WorkflowJSON

/// What an expression can see.
public struct EvaluationScope: Sendable {
    /// Root variables: `input`, `context`, and inside map iterations `item` and `index`.
    public var variables: [String: JSONValue]
    /// An identifier that is not a root variable is looked up in this root (`validation.tier` means `context.validation.tier`).
    public var fallbackRoot: String?
    /// What `now()` returns; the engine passes the event's time so evaluation stays deterministic.
    public var now: Date

    /// A scope with the given roots; bare identifiers fall back to `fallbackRoot` (`context` by default).
    public init(variables: [String: JSONValue], fallbackRoot: String? = "context", now: Date) {
        self.variables = variables
        self.fallbackRoot = fallbackRoot
        self.now = now
    }
}
