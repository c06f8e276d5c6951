/// A caller's role. Viewers read; operators also create workflows, start runs and act on them;
/// admins also see and act on everyone's objects and manage tokens.
///
/// Stand-in for `AccessControl.Role` (branch `auth`), same cases and grants.
public enum Role: String, Sendable, Hashable, CaseIterable {
    case admin, `operator`, viewer

    /// Everything the role allows.
    public var permissions: Set<Permission> {
        switch self {
        case .viewer: [.readWorkflows, .readExecutions]
        case .operator: [.readWorkflows, .readExecutions, .writeWorkflows, .startExecutions, .operateExecutions]
        case .admin: Set(Permission.allCases)
        }
    }
}
