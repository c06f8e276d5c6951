public import Foundation
public import LazyRabbitCoordinator
public import LazyRabbitWorker
import WorkflowDSL
import WorkflowJSON
public import WorkflowDrivers
public import WorkflowEngine
import WorkflowProtocol

/// The ``EffectPerformer`` of distributed mode: every effect that matters becomes an outbox row
/// written with the step — tasks for the broker (exchange `<prefix>.tasks`, routing key = task
/// queue and the owner's lane, message id = task id), and timers, child starts and child completions for the
/// coordinator itself (``CoordinatorMessage``); a timer the step cancels has its row deleted with
/// the step, if it is still unpublished (``withdrawn(by:of:)``). After the commit, the
/// step's tasks are published at once by the ``EagerPublisher`` (their outbox rows wait out its
/// grace, so the relay only takes over what that failed to publish), and `onStep` is told
/// (streams, metrics). Work staged for the coordinator itself is announced to `onLocalWork` first
/// (the relay's wake-up).
///
/// A task whose JSON is over ``PayloadOffload/threshold`` is stored once in the payload store and
/// sent as a ``TaskStub`` naming it (docs/protocol.md, "Large payloads"): the outbox row and the
/// eager publish carry the same stub, whose reference is the content's digest.
///
/// A cancelled task (its execution cancelled or timed out, its branch abandoned) becomes a
/// ``ControlMessage`` (`cancel_task`) row for the fanout exchange `<prefix>.control`, written and
/// published like a task: every worker sees it, and the one running the task stops it.
public struct DistributedEffects: EffectPerformer {
    private let topology: WorkerTopology
    private let eager: EagerPublisher?
    private let onLocalWork: @Sendable (_ due: Date) -> Void
    private let onStep: @Sendable (_ instance: ExecutionInstance) -> Void
    private let offload: PayloadOffload?

    /// - Parameters:
    ///   - topology: the RabbitMQ names tasks are published under.
    ///   - eager: publishes tasks right after their commit; `nil` leaves everything to the relay.
    ///   - offload: where tasks over the size threshold are stored; `nil` sends every task whole.
    ///   - onLocalWork: called after a stored step that staged work for the coordinator itself,
    ///     before its tasks are published, with when the earliest of it comes due (`distantPast`
    ///     for a child to start or to report, the firing time for a timer).
    ///   - onStep: called after each stored step, once its tasks are published.
    public init(
        topology: WorkerTopology, eager: EagerPublisher? = nil, offload: PayloadOffload? = nil,
        onLocalWork: @escaping @Sendable (_ due: Date) -> Void = { _ in },
        onStep: @escaping @Sendable (_ instance: ExecutionInstance) -> Void = { _ in }
    ) {
        self.topology = topology
        self.eager = eager
        self.offload = offload
        self.onLocalWork = onLocalWork
        self.onStep = onStep
    }

    public nonisolated(nonsending) func outbox(for effects: [EngineEffect], of instance: ExecutionInstance, record: ExecutionRecord) async throws -> [OutboxMessage] {
        var messages: [OutboxMessage] = []
        for effect in effects {
            if let message = try await outboxMessage(for: effect, of: instance, record: record) { messages.append(message) }
        }
        return messages
    }

    private func outboxMessage(for effect: EngineEffect, of instance: ExecutionInstance, record: ExecutionRecord) async throws -> OutboxMessage? {
        switch effect {
        case .dispatch(let task):
            if case .workflow(let child) = task.callback {
                return try local(.startChild(
                    parentID: instance.id, parentTaskID: task.taskID, owner: record.owner, workflow: child.workflow,
                    input: child.input ?? .emptyObject), id: "\(task.taskID)/start-child")
            }
            var message = try await taskMessage(task, owner: record.owner)
            if eager != nil { message.notBefore = Date().addingTimeInterval(Double(EagerPublisher.defaultGrace.components.seconds)) }
            return message
        case .scheduleTimer(let timerID, let fireAt):
            // Set and cancelled within this step (say, the deadline of an execution that ended at
            // once): no row to write, and none to withdraw.
            guard instance.timers[timerID] == fireAt else { return nil }
            var message = try local(
                .timerFired(executionID: instance.id, timerID: timerID), id: Self.timerMessageID(timerID, fireAt: fireAt, of: instance.id))
            message.notBefore = fireAt
            return message
        case .finished:
            guard let parentID = record.parentID, let parentTaskID = record.parentTaskID else { return nil }
            return try local(
                .childFinished(parentID: parentID, parentTaskID: parentTaskID, outcome: ChildWorkflow.outcome(of: instance)),
                id: "\(instance.id)/finished")
        case .cancelTask(let taskID):
            var message = try cancelMessage(taskID, of: instance.id)
            if eager != nil { message.notBefore = Date().addingTimeInterval(Double(EagerPublisher.defaultGrace.components.seconds)) }
            return message
        case .cancelTimer:
            return nil
        }
    }

    /// The rows of the timers the step cancelled and did not set itself: a finished task's timeout,
    /// a wait's deadline, an ended execution's timers. Left in the outbox, each would come due, be
    /// published to the coordinator and change nothing.
    public func withdrawn(by effects: [EngineEffect], of instance: ExecutionInstance) -> [String] {
        var cancelled: [String] = []
        var setHere: Set<String> = []
        for effect in effects {
            switch effect {
            case .cancelTimer(let timerID, let fireAt): cancelled.append(Self.timerMessageID(timerID, fireAt: fireAt, of: instance.id))
            case .scheduleTimer(let timerID, let fireAt): setHere.insert(Self.timerMessageID(timerID, fireAt: fireAt, of: instance.id))
            default: break
            }
        }
        return cancelled.filter { !setHere.contains($0) }
    }

    /// A timer's message id: the same timer set again (after a restart) writes the same row, and a
    /// timer set again for another time is another row.
    private static func timerMessageID(_ timerID: String, fireAt: Date, of executionID: String) -> String {
        "\(executionID)/timer/\(timerID)@\(Int64((fireAt.timeIntervalSince1970 * 1000).rounded()))"
    }

    /// Publishes the step's broker messages (tasks, cancellations) at once — the very rows just
    /// committed, so nothing is encoded or stored twice — after announcing when the work it staged
    /// for the coordinator itself comes due.
    public nonisolated(nonsending) func perform(_ effects: [EngineEffect], for instance: ExecutionInstance, staged: [OutboxMessage]) async {
        if let due = staged.filter({ $0.topic == CoordinatorMessage.localTopic }).map({ $0.notBefore ?? .distantPast }).min() {
            onLocalWork(due)
        }
        let broker = staged.filter { $0.topic == topology.taskExchange || $0.topic == topology.controlExchange }
        await eager?.publish(broker)
        onStep(instance)
    }

    /// The broker message of `task`, routed to its task queue's lane for `owner`: the task, or —
    /// when its JSON is over the threshold — its stub, the JSON being stored once in the payload
    /// store under its digest.
    ///
    /// Tasks are written by hand (`StateTask.encodedJSON()`); only one over the threshold is
    /// encoded again with sorted keys, so that the same task always stores the same bytes under the
    /// same digest.
    private func taskMessage(_ task: StateTask, owner: String?) async throws -> OutboxMessage {
        var message = TaskMessage.task(task)
        let json = task.encodedJSON()
        if let offload, json.count > offload.threshold {
            message = .stub(task.stub(reference: try await offload.store.put(try Self.encoder.encode(task))))
        }
        return OutboxMessage(
            messageID: task.taskID, topic: topology.taskExchange,
            routingKey: WorkerTopology.taskRoutingKey(task.queue, lane: WorkerTopology.lane(of: task.queue, owner: owner)),
            payload: message == .task(task) ? json : try message.encoded(),
            headers: [
                "lr-type": "state_task", "lr-version": String(message.version), "lr-execution-id": task.executionID,
                WorkerTopology.taskQueueHeader: task.queue,
            ])
    }

    /// The `cancel_task` control message for `taskID`.
    private func cancelMessage(_ taskID: String, of executionID: String) throws -> OutboxMessage {
        let control = ControlMessage(command: .cancelTask, executionID: executionID, taskID: taskID)
        return OutboxMessage(
            messageID: "\(taskID)/cancel", topic: topology.controlExchange, routingKey: "", payload: try Self.encoder.encode(control),
            headers: ["lr-type": "control", "lr-version": String(ControlMessage.currentVersion), "lr-execution-id": executionID])
    }

    private func local(_ message: CoordinatorMessage, id: String) throws -> OutboxMessage {
        OutboxMessage(
            messageID: id, topic: CoordinatorMessage.localTopic, routingKey: "local", payload: try Self.encoder.encode(message),
            headers: ["lr-type": "coordinator_message"])
    }

    /// Sorted keys: the same task always encodes to the same bytes, so its payload digest (and the
    /// one stored copy) does not depend on dictionary order. Control and coordinator messages use
    /// it too (they are rare).
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}
