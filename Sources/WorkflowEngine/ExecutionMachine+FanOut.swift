import Foundation
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

extension ExecutionMachine {
    /// Starts the branches of a parallel state or the first items of a map state.
    mutating func fanOut(state: StateDefinition, slots: Int, items: [JSONValue]?, maxConcurrency: Int, in threadID: String) {
        guard slots > 0 else {
            return schedule(.complete(thread: threadID, result: []))
        }
        instance.threads[threadID]?.phase = .joining
        let fanOut = FanOut(
            state: state.name, results: Array(repeating: nil, count: slots), items: items,
            maxConcurrency: max(1, maxConcurrency), started: 0, finished: 0)
        instance.fanOuts[threadID] = fanOut
        startChildren(of: threadID, fanOut)
    }

    /// Starts slots of `fanOut` until as many run as it may: every branch of a parallel state; for
    /// a map, up to `max_concurrency` while the execution has fewer live threads than
    /// ``ExecutionLimits/liveThreads``, and always at least one.
    private mutating func startChildren(of parentID: String, _ fanOut: FanOut) {
        let running = fanOut.started - fanOut.finishedCount
        var width = fanOut.maxConcurrency
        if fanOut.items != nil {
            width = min(width, max(1, running + workflow.executionLimits.liveThreads - instance.threads.count))
        }
        for _ in running..<max(running, min(width, fanOut.results.count - fanOut.started + running)) {
            startNextChild(of: parentID)
        }
    }

    /// The ``WorkflowEngine/continueTimerID`` timer fired: every map that the per-step bound left
    /// with nothing running starts an iteration whatever the live-thread limit (a map always runs
    /// at least one; nothing else would wake it), then held-back maps widen as when a child
    /// finishes. Always recorded (`maps_continued`), so the step is never a no-op: the timer's
    /// removal must be stored, or a later map reaching the bound would find it still set.
    mutating func continueMaps() {
        let before = mapStarts
        let idle = instance.fanOuts.filter { _, fanOut in
            fanOut.items != nil && fanOut.started < fanOut.results.count && fanOut.started == fanOut.finishedCount
        }.keys.sorted()
        for parentID in idle { startNextChild(of: parentID) }
        widenHeldBackMaps()
        record("maps_continued", thread: ExecutionThread.mainID, details: ["started": .integer(mapStarts - before)])
    }

    /// Starts iterations of maps that run fewer than they may, in fan-out order, while the
    /// execution has room for more live threads. Called whenever a child finishes, so the
    /// held-back maps are picked out before any sorting, and by ``continueMaps()``.
    private mutating func widenHeldBackMaps() {
        guard instance.threads.count < workflow.executionLimits.liveThreads else { return }
        let heldBack = instance.fanOuts.compactMap { parentID, fanOut in
            fanOut.items != nil && fanOut.started < fanOut.results.count && fanOut.started - fanOut.finishedCount < fanOut.maxConcurrency
                ? parentID : nil
        }
        for parentID in heldBack.sorted() {
            guard instance.threads.count < workflow.executionLimits.liveThreads else { return }
            if let fanOut = instance.fanOuts[parentID] { startChildren(of: parentID, fanOut) }
        }
    }

    /// The id of the thread that runs slot `slot` of the fan-out `state` owned by `parentID`, the
    /// `entry`-th time the parent entered that state: `main/each[3]`, then `main/each#2[3]`, … —
    /// unique per entry, so its task and timer ids are too although its loop counters are
    /// dropped when it ends.
    static func childID(of parentID: String, state: String, entry: Int, slot: Int) -> String {
        entry <= 1 ? "\(parentID)/\(state)[\(slot)]" : "\(parentID)/\(state)#\(entry)[\(slot)]"
    }

    /// How many times `parentID` has entered `state`: the entry its fan-out belongs to.
    private func entry(of parentID: String, into state: String) -> Int {
        instance.visits["\(parentID)|\(state)"] ?? 1
    }

    /// The threads started for `fanOut` that still run (finished ones are already removed).
    private func liveChildren(of parentID: String, _ fanOut: FanOut) -> [String] {
        let entry = entry(of: parentID, into: fanOut.state)
        return (0..<fanOut.started).compactMap { slot in
            let id = Self.childID(of: parentID, state: fanOut.state, entry: entry, slot: slot)
            if instance.threads[id] != nil { return id }
            // Started before ids carried the entry (an older snapshot): the first entry's form.
            let older = Self.childID(of: parentID, state: fanOut.state, entry: 1, slot: slot)
            return instance.threads[older]?.parentID == parentID ? older : nil
        }
    }

    /// Starts the next unstarted slot of `parentID`'s fan-out in a new thread. Once the maps of
    /// this engine call (all together, nested ones included) started
    /// ``ExecutionLimits/mapStartsPerStep`` iterations, none starts more: an immediate
    /// ``WorkflowEngine/continueTimerID`` timer goes on in a later call, so that iterations
    /// finishing at once (`pass`, `choice`, `transform` states) cannot hold one call for seconds.
    private mutating func startNextChild(of parentID: String) {
        guard var fanOut = instance.fanOuts[parentID], fanOut.started < fanOut.results.count,
            let parent = instance.threads[parentID], let state = workflow.states[fanOut.state]
        else { return }
        if fanOut.items != nil {
            guard mapStarts < workflow.executionLimits.mapStartsPerStep else {
                if instance.timers[WorkflowEngine.continueTimerID] == nil { startTimer(WorkflowEngine.continueTimerID, fireAt: now) }
                return
            }
            mapStarts += 1
        }
        let slot = fanOut.started
        fanOut.started += 1
        instance.fanOuts[parentID] = fanOut
        let start: String
        switch state.kind {
        case .parallel(let parallel): start = parallel.branches[slot].start
        case .map(let map): start = map.iterator.start
        default: return
        }
        let childID = Self.childID(of: parentID, state: state.name, entry: entry(of: parentID, into: state.name), slot: slot)
        instance.threads[childID] = ExecutionThread(
            id: childID, parentID: parentID, slot: slot, state: start, phase: .joining, attempt: 1, enteredAt: now,
            context: parent.context, item: fanOut.items?[slot], index: fanOut.items == nil ? nil : slot, lastResult: .null)
        schedule(.enter(thread: childID, state: start, from: state.name))
    }

    /// A branch or iteration ended: record its result, start the next item, join when all are in.
    /// A failure cancels the siblings and becomes the error of the parallel or map state. Either
    /// way threads were freed, which maps held back by the live-thread limit may now use.
    mutating func childFinished(_ child: ExecutionThread, outcome: Result<JSONValue, TaskFailure>) {
        guard let parentID = child.parentID, instance.fanOuts[parentID] != nil else { return }
        defer { widenHeldBackMaps() }
        switch outcome {
        case .success(let result):
            // In place: a copy of the fan-out taken first would copy every slot's result here, and
            // a map of N items would cost N² (40 000 `pass` iterations took 42 s).
            instance.fanOuts[parentID]?.record(result, at: child.slot)
            guard let fanOut = instance.fanOuts[parentID] else { return }
            if fanOut.finishedCount == fanOut.results.count {
                instance.fanOuts[parentID] = nil
                schedule(.complete(thread: parentID, result: .array(fanOut.results.map { $0 ?? .null })))
            } else {
                startChildren(of: parentID, fanOut)
            }
        case .failure(let error):
            guard let fanOut = instance.fanOuts[parentID] else { return }
            for sibling in liveChildren(of: parentID, fanOut) {
                stopThread(sibling)
            }
            instance.fanOuts[parentID] = nil
            schedule(.fail(thread: parentID, error: TaskFailure(
                errorClass: error.errorClass, message: "\(child.id): \(error.message)", details: error.details)))
        }
    }

    /// Drops the loop counters of a branch or iteration that ended (its parent still in the
    /// parallel or map state): a later entry of that state runs in threads with other ids, so
    /// nothing needs them, and a map over many items would otherwise keep one per item for good.
    private mutating func forgetVisits(of thread: ExecutionThread) {
        guard let parentID = thread.parentID, let parent = instance.threads[parentID], let state = workflow.states[parent.state] else { return }
        let graph: StateGraph
        switch state.kind {
        case .parallel(let parallel) where parallel.branches.indices.contains(thread.slot): graph = parallel.branches[thread.slot]
        case .map(let map): graph = map.iterator
        default: return
        }
        for name in graph.order { instance.visits["\(thread.id)|\(name)"] = nil }
    }

    /// Removes a thread and everything under it, cancelling its tasks and timers.
    mutating func stopThread(_ threadID: String) {
        if let fanOut = instance.fanOuts.removeValue(forKey: threadID) {
            for child in liveChildren(of: threadID, fanOut) {
                stopThread(child)
            }
        }
        guard let thread = instance.threads.removeValue(forKey: threadID) else { return }
        forgetVisits(of: thread)
        switch thread.phase {
        case .running(let taskID), .asking(let taskID, _):
            // The phase outlives a task that reported (until the thread's next state sets its
            // own): only a task still pending is cancelled.
            guard instance.pendingTasks.removeValue(forKey: taskID) != nil else { break }
            effects.append(.cancelTask(taskID: taskID))
            cancelTimer(Self.timeoutTimerID(taskID))
        case .retrying(let timerID), .sleeping(let timerID):
            cancelTimer(timerID)
        case .awaitingSignal(_, let timerID), .awaitingApproval(let timerID):
            if let timerID { cancelTimer(timerID) }
        case .joining:
            break
        }
    }
}
