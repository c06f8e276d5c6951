import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

extension CompiledWorkflow {
    /// Fails with `value_too_large` or `value_too_deep` when `value` breaks the value limits.
    ///
    /// - Parameter what: the value, for the message ("the result of state `fetch`").
    func checkBounds(_ value: JSONValue, _ what: @autoclosure () -> String) throws(TaskFailure) {
        var meter = ValueMeter(executionLimits.value)
        meter.add(value)
        if let breach = meter.breach { throw failure(breach, what()) }
    }

    /// Fails with `value_too_large` or `value_too_deep` when the data of a rendered callback breaks
    /// the value limits: checked before anything else walks it.
    func checkBounds(_ callback: Callback, state: String) throws(TaskFailure) {
        var meter = ValueMeter(executionLimits.value)
        callback.measure(into: &meter)
        if let breach = meter.breach { throw failure(breach, "the rendered \(callback.typeName) callback of state `\(state)`") }
    }

    /// The error for `what` breaking the value limits.
    func failure(_ breach: ValueLimitBreach, _ what: String) -> TaskFailure {
        .breaking(executionLimits.value, breach, what: what)
    }
}

extension Callback {
    /// Counts the data a worker receives: rendered text, bodies and inputs.
    func measure(into meter: inout ValueMeter) {
        switch self {
        case .http(let http):
            meter.add(bytes: http.url.utf8.count + http.method.utf8.count)
            for (name, value) in http.headers { meter.add(bytes: name.utf8.count + value.utf8.count) }
            for (name, value) in http.query { meter.add(bytes: name.utf8.count + value.utf8.count) }
            if let body = http.body { meter.add(body) }
        case .log(let log):
            meter.add(bytes: log.message.utf8.count)
        case .workflow(let child):
            if let input = child.input { meter.add(input) }
        case .handler(let handler):
            if let input = handler.input { meter.add(input) }
        case .llm(let llm):
            meter.add(bytes: llm.prompt.utf8.count + (llm.system?.utf8.count ?? 0))
        case .delay, .transform:
            break
        }
    }
}
