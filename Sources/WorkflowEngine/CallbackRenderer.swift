import WorkflowDSL
import WorkflowExpressions
import WorkflowJSON
import WorkflowProtocol

extension CompiledWorkflow {
    /// The callback with every template rendered against `scope` (secrets left as references).
    ///
    /// A handler without `input` receives the thread's whole context.
    ///
    /// - Throws: `value_too_large` or `value_too_deep` when the rendered data breaks the value
    ///   limits; `secret_in_data` when the rendered callback references a secret more often than
    ///   the workflow wrote it: a value from the execution's data (its input, a result) carries
    ///   `${secret.NAME}`, which the worker would replace with the secret wherever that data goes.
    func renderCallback(_ callback: Callback, of state: String, in scope: EvaluationScope) throws(TaskFailure) -> Callback {
        let rendered = try renderFields(of: callback, in: scope)
        try checkBounds(rendered, state: state)
        let written = callback.secretReferenceCounts
        for (name, count) in rendered.secretReferenceCounts.sorted(by: { $0.key < $1.key }) where count > written[name, default: 0] {
            throw TaskFailure(
                errorClass: "secret_in_data",
                message: "a value from the execution's data holds `${secret.\(name)}`: refused, since the worker would put the secret "
                    + "there; secrets are only substituted where the workflow itself writes them")
        }
        return rendered
    }

    private func renderFields(of callback: Callback, in scope: EvaluationScope) throws(TaskFailure) -> Callback {
        switch callback {
        case .http(var http):
            http.url = try renderString(http.url, in: scope)
            for (name, value) in http.headers { http.headers[name] = try renderString(value, in: scope) }
            for (name, value) in http.query { http.query[name] = try renderString(value, in: scope) }
            if let body = http.body { http.body = try render(body, in: scope) }
            return .http(http)
        case .delay, .transform:
            return callback
        case .log(var log):
            log.message = try renderString(log.message, in: scope)
            return .log(log)
        case .workflow(var child):
            child.input = try render(child.input ?? .emptyObject, in: scope)
            return .workflow(child)
        case .handler(var handler):
            handler.input = try handler.input.map { value throws(TaskFailure) in try render(value, in: scope) }
                ?? scope.variables["context"]
            return .handler(handler)
        case .llm(var llm):
            llm.prompt = try renderString(llm.prompt, in: scope)
            llm.system = try llm.system.map { text throws(TaskFailure) in try renderString(text, in: scope) }
            return .llm(llm)
        }
    }

    /// Applies a `transform` callback to `context`; returns the new context and the assigned values.
    ///
    /// - Throws: `value_too_large` or `value_too_deep` when an assigned value or the new context
    ///   breaks the value limits (the context is then left as it was).
    func applyTransform(
        _ transform: TransformCallback, of state: String, to context: JSONValue, scope: EvaluationScope
    ) throws(TaskFailure) -> (context: JSONValue, result: JSONValue) {
        var context = context
        var assigned: [String: JSONValue] = [:]
        var scope = scope
        for assignment in transform.set {
            let value = try render(assignment.value, in: scope)
            try checkBounds(value, "the value state `\(state)` assigns to `\(assignment.path)`")
            context = context.setting(value, atPath: assignment.path)
            assigned[assignment.path] = value
            scope.variables["context"] = context
        }
        try checkBounds(context, "the context after state `\(state)`")
        return (context, .object(assigned))
    }
}
