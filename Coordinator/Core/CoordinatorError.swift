public import WorkflowDSL
public import WorkflowEngine

/// Why the coordinator refused or could not complete a request.
public enum CoordinatorError: Error, Sendable, CustomStringConvertible {
    case unknownExecution(String)
    /// A stored definition no longer validates (for instance after a limit was lowered).
    case invalidDefinition([Diagnostic])
    case invalidInput(InputValidationError)

    public var description: String {
        switch self {
        case .unknownExecution(let id): "no execution \(id)"
        case .invalidDefinition(let diagnostics): "the workflow is invalid: " + diagnostics.map(\.description).joined(separator: "; ")
        case .invalidInput(let error): error.description
        }
    }
}
