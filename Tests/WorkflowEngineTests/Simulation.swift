import Foundation
import Testing
import WorkflowDSL
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

/// Drives the pure engine with a virtual clock: answers dispatched tasks through `respond`, fires
/// timers in time order, and keeps every transition and effect for assertions.
struct Simulation {
    let engine: WorkflowEngine
    var instance: ExecutionInstance
    var now: Date
    var queued: [StateTask] = []
    var timers: [String: Date] = [:]
    var transitions: [TransitionRecord] = []
    var effects: [EngineEffect] = []
    /// The answer to a task, or `nil` to leave it running.
    var respond: (StateTask) -> TaskOutcome?

    init(
        _ yaml: String, input: JSONValue = .emptyObject, startState: String? = nil, context: JSONValue = .emptyObject,
        limits: ExecutionLimits = .default, respond: @escaping (StateTask) -> TaskOutcome? = { _ in .succeeded(.null) }
    ) throws {
        let document = WorkflowDocument.load(yaml)
        guard let definition = document.definition, document.isValid else {
            Issue.record("invalid test workflow: \(document.diagnostics)")
            throw SimulationError.invalidWorkflow
        }
        engine = WorkflowEngine(CompiledWorkflow(definition, executionLimits: limits))
        now = Date(timeIntervalSince1970: 1_700_000_000)
        self.respond = respond
        let step = try engine.start(executionID: "exec", input: input, now: now, startState: startState, context: context)
        instance = step.instance
        absorb(step)
    }

    enum SimulationError: Error { case invalidWorkflow }

    mutating func absorb(_ step: EngineStep) {
        if let first = step.transitions.first {
            #expect(first.sequence == (transitions.last?.sequence ?? 0) + 1, "transition numbers must be contiguous")
        }
        instance = step.instance
        transitions += step.transitions
        effects += step.effects
        for effect in step.effects {
            switch effect {
            case .dispatch(let task): queued.append(task)
            case .scheduleTimer(let id, let fireAt): timers[id] = fireAt
            case .cancelTimer(let id, _): timers[id] = nil
            case .cancelTask(let taskID): queued.removeAll { $0.taskID == taskID }
            case .finished: break
            }
        }
    }

    /// Applies `event` and returns its step (also absorbed).
    @discardableResult
    mutating func apply(_ event: EngineEvent) -> EngineStep {
        let step = engine.apply(event, to: instance, now: now)
        absorb(step)
        return step
    }

    /// Answers tasks and fires timers until the execution ends or nothing is left to do.
    mutating func run(maxSteps: Int = 10_000) {
        var steps = 0
        while !instance.status.isTerminal && steps < maxSteps {
            steps += 1
            if let index = queued.firstIndex(where: { respond($0) != nil }) {
                let task = queued.remove(at: index)
                apply(.taskCompleted(taskID: task.taskID, outcome: respond(task)!))
            } else if let (id, fireAt) = timers.min(by: { $0.value < $1.value }) {
                now = max(now, fireAt)
                timers[id] = nil
                apply(.timerFired(timerID: id))
            } else {
                return
            }
        }
    }

    /// The transitions of one kind.
    func transitions(_ kind: String) -> [TransitionRecord] { transitions.filter { $0.kind == kind } }

    /// States entered, in order, in `thread`.
    func entered(thread: String = "main") -> [String] {
        transitions("state_entered").filter { $0.thread == thread }.compactMap(\.toState)
    }
}
