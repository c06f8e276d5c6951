import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

extension CompiledWorkflow {
    /// Fails with `value_too_large` or `value_too_deep` when `value` breaks the value limits.
    ///
    /// - Parameter what: the value, for the message ("the result of state `fetch`").
    func checkBounds(_ value: JSONValue, _ what: @autoclosure () -> String) throws(TaskFailure) {
        if let failure = boundsFailure(value, what()) { throw failure }
    }

    /// The `value_too_large` or `value_too_deep` error when `value` breaks the value limits.
    func boundsFailure(_ value: JSONValue, _ what: @autoclosure () -> String) -> TaskFailure? {
        value.breach(of: executionLimits.value).map { failure($0, what()) }
    }

    /// Fails with `value_too_large` or `value_too_deep` when the data of a rendered callback breaks
    /// the value limits: checked before anything else walks it.
    func checkBounds(_ callback: Callback, state: String) throws(TaskFailure) {
        if let breach = ValueMeter.breach(of: executionLimits.value, { callback.measure(into: &$0) }) {
            throw failure(breach, "the rendered \(callback.typeName) callback of state `\(state)`")
        }
    }

    /// The error for `what` breaking the value limits.
    func failure(_ breach: ValueLimitBreach, _ what: String) -> TaskFailure {
        .breaking(executionLimits.value, breach, what: what)
    }
}

extension Callback {
    /// Counts the data a worker receives: rendered text, bodies and inputs (text as a sum, so the
    /// order of headers does not matter).
    func measure(into meter: inout ValueMeter) {
        switch self {
        case .http(let http):
            let fields = [http.headers, http.query].joined().reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
            meter.add(bytes: http.url.utf8.count + http.method.utf8.count + fields)
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
