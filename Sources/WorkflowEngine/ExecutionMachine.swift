import Foundation
import WorkflowDSL
import WorkflowExpressions
import WorkflowJSON
import WorkflowProtocol

/// The working state of one engine call: applies queued actions to an instance and collects the
/// transitions and effects they produce. Pure: it reads no clock and performs no I/O.
///
/// Actions are queued rather than called recursively, so long chains of inline states (choices,
/// passes, transforms) and loops cannot overflow the stack.
struct ExecutionMachine {
    /// A step of work inside one engine call.
    enum Action {
        case enter(thread: String, state: String, from: String?)
        case complete(thread: String, result: JSONValue)
        case fail(thread: String, error: TaskFailure)
        case finish(thread: String, outcome: Result<JSONValue, TaskFailure>)
    }

    let workflow: CompiledWorkflow
    var instance: ExecutionInstance
    let now: Date
    private(set) var transitions: [TransitionRecord] = []
    var effects: [EngineEffect] = []
    /// Map iterations this call started (``ExecutionLimits/mapStartsPerStep`` bounds them).
    var mapStarts = 0
    private var queue: [Action] = []
    private var cursor = 0

    init(workflow: CompiledWorkflow, instance: ExecutionInstance, now: Date) {
        self.workflow = workflow
        self.instance = instance
        self.now = now
    }

    /// The result of this call.
    var step: EngineStep { EngineStep(instance: instance, transitions: transitions, effects: effects) }

    mutating func schedule(_ action: Action) {
        queue.append(action)
    }

    /// Performs queued actions until none are left, then holds the execution to its size limit
    /// and settles its status.
    mutating func drain() {
        while cursor < queue.count {
            let action = queue[cursor]
            cursor += 1
            guard !instance.status.isTerminal else { continue }
            switch action {
            case .enter(let thread, let state, let from): enter(thread: thread, state: state, from: from)
            case .complete(let thread, let result): complete(thread: thread, result: result)
            case .fail(let thread, let error): fail(thread: thread, error: error)
            case .finish(let thread, let outcome): finish(thread: thread, outcome: outcome)
            }
        }
        queue.removeAll()
        cursor = 0
        enforceSizeLimit()
        dropDispatchesCancelledInThisStep()
        settleStatus()
    }

    /// Fails an execution that holds more than the limit altogether (each value may be within its
    /// own bound while many threads copy a large context, or joined results pile up): its threads,
    /// fan-outs, buffered signals and output are dropped, so the snapshot written stays small.
    private mutating func enforceSizeLimit() {
        let limits = workflow.executionLimits
        guard !instance.status.isTerminal, let breach = instance.sizeBreach(limits) else { return }
        let message = switch breach {
        case .tooLarge: "the execution holds more than \(TaskFailure.describe(bytes: limits.instanceBytes)) of data"
        case .tooDeep: "the execution holds a value nested more than \(limits.value.maxDepth) levels deep"
        }
        instance.bufferedSignals = [:]
        terminate(.failed, error: TaskFailure(
            errorClass: "execution_too_large",
            message: message + " (contexts of every running thread, joined results, pending callbacks, buffered signals)"),
            keepingOutput: false)
    }

    /// A task dispatched and cancelled within one step (a sibling failed at once, the execution
    /// ended) is neither sent nor cancelled: both effects are dropped.
    private mutating func dropDispatchesCancelledInThisStep() {
        // Removing a task always cancels it: without a cancellation there is nothing to drop.
        guard effects.contains(where: { if case .cancelTask = $0 { true } else { false } }) else { return }
        var cancelled = Set<String>()
        for effect in effects {
            if case .dispatch(let task) = effect, instance.pendingTasks[task.taskID] == nil { cancelled.insert(task.taskID) }
        }
        guard !cancelled.isEmpty else { return }
        effects.removeAll { effect in
            switch effect {
            case .dispatch(let task): cancelled.contains(task.taskID)
            case .cancelTask(let taskID): cancelled.contains(taskID)
            default: false
            }
        }
    }

    /// Appends a transition, numbering it after the last one.
    mutating func record(_ kind: String, thread: String, from: String? = nil, to: String? = nil, details: JSONValue = .emptyObject) {
        instance.sequence += 1
        transitions.append(TransitionRecord(
            executionID: instance.id, sequence: instance.sequence, thread: thread,
            fromState: from, toState: to, kind: kind, at: now, details: details))
    }

    /// What expressions in `thread` can see.
    func scope(for thread: ExecutionThread) -> EvaluationScope {
        var variables: [String: JSONValue] = ["input": instance.input, "context": thread.context]
        if let item = thread.item { variables["item"] = item }
        if let index = thread.index { variables["index"] = .integer(index) }
        return EvaluationScope(variables: variables, fallbackRoot: "context", now: now)
    }

    /// Milliseconds between `date` and now, for durations in transition details.
    func milliseconds(since date: Date) -> JSONValue {
        .integer(Int((now.timeIntervalSince(date) * 1000).rounded()))
    }

    /// Running if anything runs, recovering if only retries are pending, waiting otherwise.
    private mutating func settleStatus() {
        guard !instance.status.isTerminal else { return }
        let phases = instance.threads.values.map(\.phase)
        if instance.paused == true {
            instance.status = .paused
        } else if phases.contains(where: { $0.taskID != nil }) {
            instance.status = .running
        } else if phases.contains(where: { if case .retrying = $0 { true } else { false } }) {
            instance.status = .recovering
        } else if phases.contains(where: { $0 != .joining }) {
            instance.status = .waiting
        } else {
            instance.status = .running
        }
    }

    // MARK: Entering states

    private mutating func enter(thread threadID: String, state name: String, from: String?) {
        guard var thread = instance.threads[threadID] else { return }
        let state: StateDefinition
        do { state = try workflow.state(name) } catch { return schedule(.fail(thread: threadID, error: error)) }
        let visitKey = "\(threadID)|\(name)"
        let visits = (instance.visits[visitKey] ?? 0) + 1
        instance.visits[visitKey] = visits
        thread.state = name
        thread.attempt = 1
        thread.enteredAt = now
        instance.threads[threadID] = thread
        record("state_entered", thread: threadID, from: from, to: name, details: ["type": .string(state.typeName), "visit": .integer(visits)])
        let bound = state.maxVisits ?? workflow.defaultMaxVisits
        guard visits <= bound else {
            return schedule(.fail(thread: threadID, error: TaskFailure(
                errorClass: "loop_limit", message: "state `\(name)` was entered more than \(bound) times (raise max_visits if the loop is intended)")))
        }
        do {
            try run(state, in: threadID)
        } catch {
            schedule(.fail(thread: threadID, error: error))
        }
    }

    /// Starts the work of the state `thread` just entered.
    private mutating func run(_ state: StateDefinition, in threadID: String) throws(TaskFailure) {
        guard let thread = instance.threads[threadID] else { return }
        switch state.kind {
        case .task(.transform(let transform)):
            let (context, result) = try workflow.applyTransform(transform, of: state.name, to: thread.context, scope: scope(for: thread))
            instance.threads[threadID]?.context = context
            schedule(.complete(thread: threadID, result: result))
        case .task(let callback):
            try dispatch(callback, for: state, in: threadID)
        case .choice(let choice):
            try decide(choice, state: state, in: threadID)
        case .parallel(let parallel):
            fanOut(state: state, slots: parallel.branches.count, items: nil, maxConcurrency: parallel.branches.count, in: threadID)
        case .map(let map):
            let value = try workflow.evaluate(map.items, in: scope(for: thread))
            guard case .array(let items) = value else {
                throw TaskFailure(errorClass: "expression_error", message: "`items` of map state `\(state.name)` must yield a list")
            }
            try workflow.checkBounds(value, "the items of map state `\(state.name)`")
            fanOut(state: state, slots: items.count, items: items, maxConcurrency: map.maxConcurrency ?? max(items.count, 1), in: threadID)
        case .wait(let wait):
            try beginWait(wait, state: state, in: threadID)
        case .approval(let approval):
            try beginApproval(approval, state: state, in: threadID)
        case .succeed(let result):
            var value = thread.lastResult
            if let result {
                value = try workflow.render(result, in: scope(for: thread))
                try workflow.checkBounds(value, "the result of state `\(state.name)`")
            }
            schedule(.finish(thread: threadID, outcome: .success(value)))
        case .fail(let spec):
            let cause = try spec.cause.map { text throws(TaskFailure) in try workflow.renderString(text, in: scope(for: thread)) }
            schedule(.finish(thread: threadID, outcome: .failure(TaskFailure(errorClass: spec.error, message: cause ?? spec.error))))
        case .pass(let result):
            let value = try result.map { value throws(TaskFailure) in try workflow.render(value, in: scope(for: thread)) } ?? .null
            schedule(.complete(thread: threadID, result: value))
        }
    }
}
