/// One thing a caller may be allowed to do; a ``Role`` grants a set of them.
///
/// Reads are two permissions (``readWorkflows`` and ``readExecutions``) so that a future role can
/// see definitions without seeing execution data, though every role today grants both.
public enum Permission: String, Sendable, Codable, CaseIterable, Hashable {
    /// List and read workflow definitions and their versions.
    case readWorkflows
    /// List and read executions, their history and their audit log.
    case readExecutions
    /// Create, update, deprecate and archive workflow definitions.
    case writeWorkflows
    /// Start executions.
    case startExecutions
    /// Cancel, pause, resume, retry, signal and approve executions.
    case operateExecutions
    /// Create, list and revoke API tokens (of any user).
    case manageTokens
    /// See and act on every user's workflows and executions, not only one's own.
    case seeAllUsers
}

extension Permission {
    /// What the permission allows, as a phrase ("start executions") for error messages.
    public var summary: String {
        switch self {
        case .readWorkflows: "read workflows"
        case .writeWorkflows: "create, change or delete workflows"
        case .readExecutions: "read executions"
        case .startExecutions: "start executions"
        case .operateExecutions: "cancel, pause, resume, retry, signal or decide executions"
        case .manageTokens: "manage API tokens"
        case .seeAllUsers: "see other users' objects"
        }
    }
}
