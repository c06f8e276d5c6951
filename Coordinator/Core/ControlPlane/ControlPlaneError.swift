public import WorkflowDSL

/// Why the control plane refused a request. The HTTP layer maps each code to one status.
public struct ControlPlaneError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public enum Code: String, Sendable {
        /// No such object, or one the requester may not see (the two are indistinguishable on purpose).
        case notFound = "not_found"
        /// The workflow definition does not validate; ``diagnostics`` lists every problem.
        case invalidWorkflow = "invalid_workflow"
        /// The execution input (or a retry's patched input or start state) is not acceptable.
        case invalidInput = "invalid_input"
        /// The object's current state does not allow the action (cancel a finished run, approve with no approval waiting).
        case conflict = "conflict"
        /// The requester already has as many of something as a ``UserQuotas`` quota allows (403: not
        /// a rate, so waiting does not help; deleting does).
        case quotaExceeded = "quota_exceeded"
        /// The requester has as many unfinished executions as ``UserQuotas/unfinishedExecutions``
        /// allows (429: starting again once some finish will work).
        case tooManyUnfinished = "too_many_unfinished"
    }

    public var code: Code
    public var message: String
    /// The validation problems, for ``Code/invalidWorkflow``.
    public var diagnostics: [Diagnostic]

    /// An error.
    public init(_ code: Code, _ message: String, diagnostics: [Diagnostic] = []) {
        self.code = code
        self.message = message
        self.diagnostics = diagnostics
    }

    public var description: String {
        let problems = diagnostics.filter { $0.severity == .error }.map(\.description)
        return "\(code.rawValue): \(message)" + (problems.isEmpty ? "" : ": " + problems.joined(separator: "; "))
    }

    static func notFound(_ kind: String, _ id: String) -> ControlPlaneError {
        ControlPlaneError(.notFound, "no \(kind) \(id)")
    }
}
