import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

extension ExecutionInstance {
    /// Bytes a snapshot spends on each loop counter and each timer, besides the values: counted
    /// by number rather than walked, since they are never large one by one.
    static let bytesPerVisit = 32
    static let bytesPerTimer = 48

    /// The bound that everything this execution holds breaks together, or `nil` when it fits: its
    /// input, each thread's context, item and last result, the results and items of each fan-out,
    /// pending callbacks, buffered signals and its output. Stops counting at the first breach.
    func sizeBreach(_ limits: ExecutionLimits) -> ValueLimitBreach? {
        var meter = ValueMeter(ValueLimits(maxBytes: limits.instanceBytes, maxDepth: limits.value.maxDepth))
        meter.add(bytes: visits.count * Self.bytesPerVisit + timers.count * Self.bytesPerTimer)
        meter.add(input)
        if let output { meter.add(output) }
        for thread in threads.values where meter.breach == nil {
            meter.add(thread.context)
            meter.add(thread.lastResult)
            if let item = thread.item { meter.add(item) }
        }
        for fanOut in fanOuts.values where meter.breach == nil {
            for result in fanOut.results { meter.add(result ?? .null) }
            for item in fanOut.items ?? [] { meter.add(item) }
        }
        for task in pendingTasks.values where meter.breach == nil {
            task.callback.measure(into: &meter)
        }
        for signals in bufferedSignals.values where meter.breach == nil {
            for payload in signals { meter.add(payload) }
        }
        return meter.breach
    }
}
