/// Document-wide rules: the API version, size limits, state names short and unique across every graph,
/// a workflow `timeout` longer than 0, and the workflow's `on_error` policy.
struct DocumentChecker {
    /// The longest state name, in UTF-8 bytes.
    static let maxStateNameBytes = 128

    let context: ValidationContext

    func check(_ definition: WorkflowDefinition, scopes: [GraphScope]) {
        let limits = context.options.limits
        if !definition.apiVersion.isEmpty, definition.apiVersion != WorkflowDefinition.apiVersion {
            context.report("unsupported_api_version", "unsupported apiVersion `\(definition.apiVersion)`", path: "apiVersion",
                           hint: "use `apiVersion: \(WorkflowDefinition.apiVersion)`")
        }
        let total = scopes.reduce(0) { $0 + $1.graph.order.count }
        if total > limits.maxStates {
            context.report("too_many_states", "the workflow has \(total) states; the limit is \(limits.maxStates) (maxStates)", path: "states",
                           hint: "split it into child workflows, or raise ValidationLimits.maxStates")
        }
        for scope in scopes where scope.depth > limits.maxNestingDepth {
            context.report("nesting_too_deep", "parallel/map states are nested \(scope.depth) deep here; the limit is \(limits.maxNestingDepth) (maxNestingDepth)",
                           path: scope.path, hint: "flatten the workflow or use a child workflow, or raise ValidationLimits.maxNestingDepth")
        }
        checkUniqueNames(scopes)
        checkErrorPolicy(definition)
        if context.options.checksRulesForStoring, definition.timeout?.milliseconds == 0 {
            context.report("invalid_timeout", "the workflow's `timeout` must be longer than 0s: every execution would time out as it starts",
                           path: "timeout", hint: "leave `timeout` out for no deadline, or give one, e.g. `timeout: 1h`")
        }
    }

    private func checkUniqueNames(_ scopes: [GraphScope]) {
        let written = scopes.flatMap { scope in scope.graph.order.map { (name: $0, path: scope.path(of: $0)) } }
        let inDocumentOrder = written.enumerated().sorted { lhs, rhs in
            let left = context.position(of: lhs.element.path), right = context.position(of: rhs.element.path)
            return (left?.line ?? .max, left?.column ?? 0, lhs.offset) < (right?.line ?? .max, right?.column ?? 0, rhs.offset)
        }.map(\.element)
        var firstPaths: [String: String] = [:]
        for (name, path) in inDocumentOrder {
            if name.utf8.count > Self.maxStateNameBytes {
                context.report("invalid_name", "a state name has \(name.utf8.count) bytes; at most \(Self.maxStateNameBytes) are allowed", path: path,
                               hint: "state names appear in every thread, task and timer id of an execution: keep them short")
            }
            guard let first = firstPaths[name] else {
                firstPaths[name] = path
                continue
            }
            let line = context.position(of: first).map { " (first at line \($0.line))" } ?? " (first at `\(first)`)"
            context.report("duplicate_state", "state `\(name)` is defined twice\(line)", path: path,
                           hint: "state names must be unique in the whole document, branches and iterators included")
        }
    }

    private func checkErrorPolicy(_ definition: WorkflowDefinition) {
        guard let policy = definition.onError else { return }
        if let fallback = policy.fallback, !fallback.isEmpty, definition.graph.states[fallback] == nil {
            context.report("undefined_target", "the `on_error` fallback `\(fallback)` is not a top-level state", path: "on_error.fallback",
                           hint: Suggestion.hint(for: fallback, in: definition.graph.order))
        }
        if policy.strategy == .fallback, policy.fallback == nil {
            context.report("missing_field", "`on_error.strategy: fallback` needs a `fallback` state", path: "on_error",
                           hint: "add `fallback: <state>` or use `strategy: fail`")
        }
    }
}
