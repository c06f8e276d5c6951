/// Checks a parsed ``WorkflowDefinition``: graph structure, state rules, expressions, limits and security.
public enum WorkflowValidator {
    /// Every problem of `definition`. Without the source text, diagnostics carry paths but no lines;
    /// ``WorkflowDocument/load(_:options:)`` validates with positions.
    public static func validate(_ definition: WorkflowDefinition, options: ValidationOptions = .init()) -> [Diagnostic] {
        validate(definition, options: options, sourceMap: SourceMap(), brokenStates: [])
    }

    static func validate(_ definition: WorkflowDefinition, options: ValidationOptions, sourceMap: SourceMap, brokenStates: Set<String>) -> [Diagnostic] {
        let context = ValidationContext(options: options, sourceMap: sourceMap, brokenStates: brokenStates)
        let scopes = GraphScope.all(in: definition)
        DocumentChecker(context: context).check(definition, scopes: scopes)
        ScheduleChecker(context: context).check(definition.schedule)
        let allNames = Set(scopes.flatMap(\.graph.order))
        let states = StateChecker(context: context)
        let expressions = ExpressionChecker(context: context)
        let security = SecurityChecker(context: context)
        for scope in scopes {
            let entries = scope.isTopLevel ? [definition.onError?.fallback].compactMap { $0 } : []
            GraphChecker(scope: scope, context: context, entries: entries, allNames: allNames).check()
            for state in scope.graph.orderedStates {
                let path = scope.path(of: state.name)
                states.check(state, path: path)
                expressions.check(state, path: path)
                security.check(state, path: path)
            }
        }
        return context.diagnostics
    }
}
