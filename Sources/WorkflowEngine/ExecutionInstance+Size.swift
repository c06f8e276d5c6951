import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

extension ExecutionInstance {
    /// Bytes a snapshot spends on a thread, a pending task or a timer besides its ids and values
    /// (field names, numbers, dates): counted as a constant.
    static let bytesPerRecord = 160

    /// The bound that everything this execution holds breaks together, or `nil` when it fits: its
    /// input, each thread's ids, context, item and last result, the results and items of each
    /// fan-out, pending tasks with their callbacks, timers, loop counters, buffered signals, its
    /// output and error. Stops counting at the first breach; the same answer in every process.
    func sizeBreach(_ limits: ExecutionLimits) -> ValueLimitBreach? {
        ValueMeter.breach(of: ValueLimits(maxBytes: limits.instanceBytes, maxDepth: limits.value.maxDepth)) { meter in
            measure(into: &meter)
        }
    }

    private func measure(into meter: inout ValueMeter) {
        /// Calls `body` for each entry, in key order when the meter is ordered, until a bound breaks.
        func each<Value>(_ dictionary: [String: Value], _ body: (String, Value) -> Void) {
            if meter.ordered {
                for key in dictionary.keys.sorted() where meter.breach == nil { body(key, dictionary[key]!) }
            } else {
                for (key, value) in dictionary where meter.breach == nil { body(key, value) }
            }
        }
        meter.add(input)
        if let output { meter.add(output) }
        if let error {
            meter.add(bytes: error.errorClass.utf8.count + error.message.utf8.count)
            if let details = error.details { meter.add(details) }
        }
        meter.add(bytes: visits.keys.reduce(0) { $0 + $1.utf8.count + 8 } + timers.keys.reduce(0) { $0 + $1.utf8.count + 24 })
        each(threads) { id, thread in
            meter.add(bytes: Self.bytesPerRecord + id.utf8.count * 2 + thread.state.utf8.count + thread.phase.idBytes)
            meter.add(thread.context)
            meter.add(thread.lastResult)
            if let item = thread.item { meter.add(item) }
        }
        each(fanOuts) { id, fanOut in
            meter.add(bytes: id.utf8.count + fanOut.state.utf8.count)
            for result in fanOut.results { meter.add(result ?? .null) }
            for item in fanOut.items ?? [] { meter.add(item) }
        }
        each(pendingTasks) { id, task in
            meter.add(bytes: Self.bytesPerRecord + id.utf8.count * 2 + task.executionID.utf8.count + task.state.utf8.count)
            task.callback.measure(into: &meter)
        }
        each(bufferedSignals) { name, signals in
            meter.add(bytes: name.utf8.count)
            for payload in signals { meter.add(payload) }
        }
    }
}

extension ThreadPhase {
    /// The bytes of the ids the phase holds.
    var idBytes: Int {
        switch self {
        case .running(let id), .asking(let id, _), .retrying(let id), .sleeping(let id): id.utf8.count
        case .awaitingSignal(let name, let timerID): name.utf8.count + (timerID?.utf8.count ?? 0)
        case .awaitingApproval(let timerID): timerID?.utf8.count ?? 0
        case .joining: 0
        }
    }
}
