/// What a caller may do, as a whole: each role grants a fixed set of ``Permission``s.
///
/// | permission            | admin | operator | viewer |
/// |-----------------------|:-----:|:--------:|:------:|
/// | ``Permission/readWorkflows``     | ✓ | ✓ | ✓ |
/// | ``Permission/readExecutions``    | ✓ | ✓ | ✓ |
/// | ``Permission/writeWorkflows``    | ✓ | ✓ |   |
/// | ``Permission/startExecutions``   | ✓ | ✓ |   |
/// | ``Permission/operateExecutions`` | ✓ | ✓ |   |
/// | ``Permission/manageTokens``      | ✓ |   |   |
/// | ``Permission/seeAllUsers``       | ✓ |   |   |
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    /// Everything, including other users' workflows and executions and API tokens.
    case admin
    /// Authors workflows and runs and operates executions; no token management, own resources only.
    case `operator`
    /// Reads workflows and executions; changes nothing.
    case viewer

    /// The permissions this role grants.
    public var permissions: Set<Permission> {
        switch self {
        case .admin: Set(Permission.allCases)
        case .operator: Set(Permission.allCases).subtracting([.manageTokens, .seeAllUsers])
        case .viewer: [.readWorkflows, .readExecutions]
        }
    }

    /// Whether this role grants `permission`.
    public func grants(_ permission: Permission) -> Bool {
        permissions.contains(permission)
    }
}
