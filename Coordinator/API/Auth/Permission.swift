/// One thing a role may do.
///
/// Stand-in for `AccessControl.Permission` (branch `auth`).
public enum Permission: String, Sendable, Hashable, CaseIterable {
    case readWorkflows, writeWorkflows, readExecutions, startExecutions, operateExecutions, manageTokens, seeAllUsers

    /// The action in words, for 403 messages.
    var summary: String {
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
