import Foundation
import RabbitMQDriver
import RedisDriver
import Synchronization
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol
import DriverSupport

/// What every task of one ``WorkerService/run()`` shares: the publisher (and the report
/// publisher over it), the lanes consumed (to settle deliveries on the connection they came from,
/// and to send a task back to its own lane), the task locks and their watchdog.
struct TaskContext: Sendable {
    var publisher: AMQPPublisher
    var reports: ReportPublisher
    var lanes: [ConsumedLane]
    var locks: RedisLockService
    var watchdog: LockWatchdog
}

/// One lane of a task queue as a worker consumes it: its consumer and the routing key that
/// reaches it (``WorkerTopology/taskRoutingKey(_:lane:)``).
struct ConsumedLane: Sendable {
    var consumer: AMQPConsumer
    var routingKey: String
}

extension WorkerService {
    /// Handles one delivery, following docs/protocol.md:
    ///
    /// - undecodable, or a newer version than this build knows: reject (dead-letters);
    /// - cancelled by a control message (a redelivered copy): ack without running or reporting;
    /// - its report was already confirmed (a late duplicate, found by the `reported:` marker in
    ///   the same Redis script that takes the lock): ack without running;
    /// - lock on the task id held by someone else: the holder may be running it, or may have died
    ///   holding the lock; either way the task is published again to come back after
    ///   ``WorkerConfiguration/busyRetryDelay`` (then acked), so it is never dropped: once the
    ///   holder reports, the returning copy is acked as a duplicate; once a dead holder's lock
    ///   expires, it runs;
    /// - otherwise run it under the lock, publish the report with the grant's fencing token, ack
    ///   only once the report is confirmed, then set the marker and release the lock in one
    ///   script — unless a control message cancels it meanwhile:
    ///   then it is acked without a report (the engine has moved on; requeueing would run it
    ///   again); anything else (an unconfirmed report, Redis
    ///   unreachable, the lock lost, the drain's grace period over) gives the task back (nack
    ///   with requeue) — it fails closed, never runs without the lock.
    ///
    /// A stub (`payload_ref`) is resolved from the payload store under the lock; if the task is no
    /// longer there, the report says `payload_lost` (the coordinator's retry and catch rules apply).
    ///
    /// The callback runs in one of `slots`, taken under the lock and given back as soon as the
    /// callback has ended, so the lock and report round trips overlap other tasks' callbacks.
    func process(_ item: Intake, _ context: TaskContext, slots: Slots) async {
        let lane = context.lanes[item.lane]
        let consumer = lane.consumer
        let delivery = item.delivery
        guard let message = Self.decode(delivery.body) else {
            log("worker \(configuration.workerID): dead-lettering undecodable task \(delivery.messageID ?? "?")")
            count { $0.failures += 1 }
            try? await consumer.reject(delivery)
            return
        }
        let task = message.identity
        if wasCancelled(task.taskID) {
            log("worker \(configuration.workerID): task \(task.taskID) was cancelled; acking it without running")
            try? await consumer.ack(delivery)
            count { $0.cancelled += 1 }
            return
        }
        count { $0.inFlight += 1 }
        defer { count { $0.inFlight -= 1 } }
        let ttl = configuration.lockTTL.wholeMilliseconds
        do {
            switch try await context.locks.acquire(task.taskID, ttlMilliseconds: ttl, unlessMarked: Self.reportedMarker) {
            case .marked:
                log("worker \(configuration.workerID): task \(task.taskID) was already reported; acking the duplicate")
                try await consumer.ack(delivery)
            case .held:
                log("worker \(configuration.workerID): task \(task.taskID) runs elsewhere (or its holder died); it comes back in \(configuration.busyRetryDelay)")
                await comeBackLater(task, delivery, through: lane, publisher: context.publisher)
            case .granted(let grant):
                // Released together with setting the `reported:` marker, once the report is confirmed.
                let retention = configuration.reportedRetention.wholeMilliseconds
                try await context.watchdog.hold(grant, ttlMilliseconds: ttl, releaseAfterSuccess: { [workerID = configuration.workerID] grant in
                    try await context.locks.release(grant, marking: Self.reportedMarker, value: workerID, retentionMilliseconds: retention)
                }) { grant in
                    try await self.runAndReport(
                        message, delivery, fencingToken: grant.fencingToken, consumer: consumer, reports: context.reports, slots: slots)
                }
            }
        } catch {
            log("worker \(configuration.workerID): giving back task \(task.taskID): \(error)")
            count { $0.failures += 1 }
            try? await consumer.nack(delivery, requeue: true)
        }
    }

    /// Runs the task in one of `slots`, publishes the report and acks the delivery once the report
    /// is confirmed.
    private func runAndReport(
        _ taskMessage: TaskMessage, _ delivery: Delivery, fencingToken: Int64, consumer: AMQPConsumer, reports: ReportPublisher,
        slots: Slots
    ) async throws {
        let task = taskMessage.identity
        let slot = await slots.acquire()
        defer { slot.release() }
        // Cancelled while waiting for a slot (the drain's grace period is over): give it back.
        try Task.checkCancellation()
        let startedAt = Date()
        let outcome: TaskOutcome
        switch try await resolve(taskMessage) {
        case .success(let resolved): outcome = await runCancellable(resolved)
        case .failure(let lost): outcome = .failed(lost)
        }
        slot.release()
        if wasCancelled(task.taskID) {
            // Cancelled by a control message: nobody waits for a report, and a requeue would run it again.
            try await consumer.ack(delivery)
            count { $0.cancelled += 1 }
            log("worker \(configuration.workerID): task \(task.taskID) stopped by a control message; acked without a report")
            return
        }
        // Cancelled by the drain's grace period or a lost lock: the outcome is not the callback's.
        try Task.checkCancellation()
        var report = TaskReport(
            executionID: task.executionID, taskID: task.taskID, attempt: task.attempt, outcome: outcome,
            workerID: configuration.workerID, fencingToken: fencingToken, startedAt: startedAt, finishedAt: Date())
        let outcomeJSON = outcome.encodedJSON()
        if outcomeJSON.count > configuration.payloadThreshold {
            report = report.byReference(try await payloads.put(Data(outcomeJSON)))
        }
        let result = try await reports.publish(EncodedReport(
            taskID: task.taskID, version: report.version,
            body: report.encodedJSON(encodedOutcome: report.outcomeRef == nil ? outcomeJSON : nil)))
        guard result.isConfirmed else { throw WorkerServiceError(.reportNotConfirmed, context: task.taskID) }
        try await consumer.ack(delivery)
        count { counters in
            counters.processed += 1
            if case .failed = outcome { counters.failures += 1 }
        }
    }

    /// The task a message names: itself, or the task stored under a stub's reference; a
    /// `payload_lost` failure when that is gone. Redis errors are thrown (the task is given back).
    func resolve(_ message: TaskMessage) async throws -> Result<StateTask, TaskFailure> {
        switch message {
        case .task(let task):
            return .success(task)
        case .stub(let stub):
            if let bytes = try await payloads.get(stub.payloadRef),
               let task = try? JSONValueDecoder().decode(StateTask.self, from: bytes), task.taskID == stub.taskID {
                return .success(task)
            }
            log("worker \(configuration.workerID): ERROR task \(stub.taskID) is missing from the payload store (\(stub.payloadRef)); reporting payload_lost")
            return .failure(TaskFailure(
                errorClass: "payload_lost", message: "the task was sent by reference and is no longer in the payload store",
                details: ["payload_ref": .string(stub.payloadRef)]))
        }
    }

    /// The kind of the Redis marker (`<prefix>reported:{<task id>}`) set when a task is finished
    /// with — its report confirmed, or the task cancelled — so a late duplicate is acked without
    /// running. Failing to set it is harmless: the duplicate then runs again and the coordinator
    /// ignores its report.
    static let reportedMarker = "reported"

    /// Publishes the task again, to its own lane, to arrive after ``WorkerConfiguration/busyRetryDelay``
    /// and acks this delivery once that copy is confirmed; if it cannot, gives the delivery back.
    private func comeBackLater(_ task: TaskStub, _ delivery: Delivery, through lane: ConsumedLane, publisher: AMQPPublisher) async {
        let consumer = lane.consumer
        let copy = OutgoingMessage(
            exchange: configuration.topology.taskExchange, routingKey: lane.routingKey, body: delivery.body,
            messageID: delivery.messageID ?? task.taskID, headers: delivery.headers)
        do {
            guard try await publisher.publish(copy, delay: configuration.busyRetryDelay).isConfirmed else {
                throw WorkerServiceError(.reportNotConfirmed, context: task.taskID)
            }
            try await consumer.ack(delivery)
        } catch {
            log("worker \(configuration.workerID): could not delay task \(task.taskID) (\(error)); giving it back")
            try? await consumer.nack(delivery, requeue: true)
        }
    }

    /// The task (or stub) in `body`, or `nil` if it is not a task message this build understands.
    static func decode(_ body: [UInt8]) -> TaskMessage? {
        TaskMessage.decode(body)
    }

    /// Updates the counters under the lock.
    func count(_ update: (inout WorkerCounters) -> Void) {
        state.withLock { update(&$0.counters) }
    }
}
