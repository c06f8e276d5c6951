public import Foundation
public import WorkflowJSON
import WorkflowDSL
import WorkflowExpressions
import WorkflowProtocol

/// The pure transition function of LazyRabbit: `(instance, event) → (instance, transitions, effects)`.
///
/// The engine never reads a clock, touches a store or sends a message: callers pass the time and
/// perform the returned ``EngineEffect``s. Applying an event that does not match what the instance
/// waits for (a duplicate or late task report, a timer already handled) returns a no-op step, which
/// is what makes redelivery harmless.
///
/// ```swift
/// let engine = WorkflowEngine(CompiledWorkflow(definition))
/// var step = try engine.start(executionID: "e1", input: ["email": "a@b.c"], now: .now)
/// // perform step.effects; when a worker reports:
/// step = engine.apply(.taskCompleted(taskID: id, outcome: .succeeded(result)), to: step.instance, now: .now)
/// ```
public struct WorkflowEngine: Sendable {
    /// The id of the timer that enforces the workflow-level `timeout`.
    public static let workflowTimeoutTimerID = "workflow-timeout"
    /// The timer, due at once, that goes on starting map iterations a call left unstarted
    /// (``ExecutionLimits/mapStartsPerStep``).
    public static let continueTimerID = "continue-maps"

    public let workflow: CompiledWorkflow

    public init(_ workflow: CompiledWorkflow) {
        self.workflow = workflow
    }

    /// Creates an execution and runs it up to its first waits (tasks dispatched, timers set).
    ///
    /// - Parameters:
    ///   - startState: a top-level state to begin at instead of the workflow's first (retrying a
    ///     failed run from a chosen state); `context` is the context it starts with.
    /// - Throws: ``InputValidationError`` when `input` does not match the workflow's input schema
    ///   or it or `context` breaks the value limits, or `startState` is not a top-level state.
    public func start(
        executionID: String, input: JSONValue, now: Date, startState: String? = nil, context: JSONValue = .emptyObject
    ) throws(InputValidationError) -> EngineStep {
        let input = try InputValidator(schema: workflow.definition.input).validate(input)
        for (value, name) in [(input, "the input"), (context, "the starting context")] {
            if let refusal = workflow.boundsFailure(value, name) { throw InputValidationError(problems: [refusal.message]) }
        }
        let definition = workflow.definition
        let first = startState ?? definition.graph.start
        guard definition.graph.states[first] != nil else {
            throw InputValidationError(problems: ["start_state: `\(first)` is not a top-level state of workflow `\(definition.name)`"])
        }
        let main = ExecutionThread(
            id: ExecutionThread.mainID, parentID: nil, slot: 0, state: first, phase: .joining,
            attempt: 1, enteredAt: now, context: context, item: nil, index: nil, lastResult: .null)
        let instance = ExecutionInstance(
            id: executionID, workflowName: definition.name, status: .running, input: input, sequence: 0,
            startedAt: now, finishedAt: nil, threads: [main.id: main], fanOuts: [:], pendingTasks: [:], timers: [:],
            visits: [:], bufferedSignals: [:], output: nil, error: nil)
        var machine = ExecutionMachine(workflow: workflow, instance: instance, now: now)
        machine.record("execution_started", thread: main.id, to: first, details: ["input": input, "workflow": .string(definition.name)])
        if let timeout = definition.timeout {
            machine.startTimer(Self.workflowTimeoutTimerID, fireAt: now.addingTimeInterval(Double(timeout.milliseconds) / 1000))
        }
        machine.schedule(.enter(thread: main.id, state: first, from: nil))
        workflow.executionLimits.expressionAllowance().spending { machine.drain() }
        return machine.step
    }

    /// Applies one event. Terminal executions and events nobody waits for yield a no-op step.
    ///
    /// Every expression the step evaluates draws on one `ExpressionAllowance`
    /// (``ExecutionLimits/expressionStepsPerStep``, ``ExecutionLimits/regexTimePerStep``): however
    /// many threads a step moves, it cannot hold its coordinator shard for long. Past it, the
    /// expression fails like any expression over its budget (`expression_error`, catchable).
    public func apply(_ event: EngineEvent, to instance: ExecutionInstance, now: Date) -> EngineStep {
        var machine = ExecutionMachine(workflow: workflow, instance: instance, now: now)
        guard !instance.status.isTerminal else { return machine.step }
        workflow.executionLimits.expressionAllowance().spending { Self.apply(event, to: &machine) }
        return machine.step
    }

    private static func apply(_ event: EngineEvent, to machine: inout ExecutionMachine) {
        switch event {
        case .taskCompleted(let taskID, let outcome): machine.taskCompleted(taskID, outcome: outcome)
        case .timerFired(let timerID): machine.timerFired(timerID)
        case .signal(let name, let payload): machine.signal(name, payload: payload)
        case .approval(let state, let approved, let by, let comment): machine.approval(state: state, approved: approved, by: by, comment: comment)
        case .cancel(let reason):
            machine.terminate(.cancelled, error: TaskFailure(errorClass: "cancelled", message: reason ?? "cancelled"))
        case .pause(let by): machine.pause(by: by)
        case .resume(let by): machine.resume(by: by)
        }
        machine.drain()
    }

    /// The effects that put a loaded instance back in motion after a restart: every pending task is
    /// dispatched again (workers are idempotent per task id) and every pending timer is set again.
    /// A task whose timeout is due by `now` is not sent again — its timeout fires at once and ends
    /// it (a call, or a model's answer, nobody would use).
    public func recover(_ instance: ExecutionInstance, now: Date = .distantPast) -> [EngineEffect] {
        guard !instance.status.isTerminal else { return [] }
        let held = Set(instance.heldTasks ?? [])
        let tasks = instance.pendingTasks.keys.sorted().filter { taskID in
            guard !held.contains(taskID) else { return false }
            return instance.timers[ExecutionMachine.timeoutTimerID(taskID)].map { $0 > now } ?? true
        }.compactMap { instance.pendingTasks[$0] }
            .map(EngineEffect.dispatch)
        let timers = instance.timers.sorted { $0.key < $1.key }.map { EngineEffect.scheduleTimer(id: $0.key, fireAt: $0.value) }
        return tasks + timers
    }
}
