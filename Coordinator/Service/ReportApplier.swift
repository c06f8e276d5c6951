import DriverSupport
import Foundation
public import LazyRabbitCoordinator
public import LazyRabbitWorker
public import RabbitMQDriver
import WorkflowDSL
public import WorkflowDrivers
import WorkflowEngine
import WorkflowJSON
public import WorkflowProtocol

/// The transition applier: consumes worker reports from `<prefix>.reports` (one per message, or a
/// worker's batch: ``ReportMessage``) and applies each to its execution through the
/// ``ExecutionCoordinator`` (whose store commit writes the next tasks to the outbox in the same
/// transaction), then acks. Up to `prefetch` messages are unacked at once, and up to
/// ``reportsPerMessageSlot`` × `prefetch` reports are applied at once, whatever the messages
/// carry; the coordinator keeps the steps of one execution in order.
///
/// A report is acked only once its effect is stored, so a coordinator killed mid-way leaves it in
/// the queue for the next one; a report applied twice changes nothing (the engine matches it by
/// task id, the store by sequence number). A message is acked once all its reports are applied;
/// if one of them fails for now, the whole message comes back after a pause (the others then
/// change nothing). An undecodable message, or one of a newer protocol version, is rejected
/// (dropped, logged); an undecodable report inside a batch is dropped and logged alone (its
/// message is still acked); a report whose execution does not exist is acked.
///
/// A report with `outcome_ref` has its outcome read from the payload store first; if it is gone
/// (expired, Redis flushed), the task fails with error class `payload_lost`, which the state's
/// retry and catch rules handle like any other failure.
public struct ReportApplier: Sendable {
    private let coordinator: ExecutionCoordinator
    private let amqp: AMQPConfiguration
    private let topology: WorkerTopology
    private let prefetch: UInt16
    /// Reports being applied, across messages: a batch carries up to 64.
    private let applying: Slots
    /// Reports applied at once per message of prefetch. Under load a batch carries about ten;
    /// a bound of one per message made commit groups smaller and W1 ~7 % slower.
    static let reportsPerMessageSlot = 8
    private let payloads: (any PayloadStore)?
    private let log: @Sendable (String) -> Void
    private let onApplied: @Sendable (TaskReport) -> Void

    /// - Parameters:
    ///   - payloads: where outcomes sent by reference are stored; `nil` treats every such outcome as lost.
    ///   - onApplied: called for each report applied, once its message is acked (metrics).
    public init(
        coordinator: ExecutionCoordinator, amqp: AMQPConfiguration, topology: WorkerTopology, prefetch: UInt16 = 256,
        payloads: (any PayloadStore)? = nil,
        log: @escaping @Sendable (String) -> Void, onApplied: @escaping @Sendable (TaskReport) -> Void = { _ in }
    ) {
        self.coordinator = coordinator
        self.amqp = amqp
        self.topology = topology
        self.prefetch = prefetch
        applying = Slots(count: Int(prefetch) * Self.reportsPerMessageSlot)
        self.payloads = payloads
        self.log = log
        self.onApplied = onApplied
    }

    /// Consumes until cancelled (or the broker connection is lost for good, which throws).
    public func run() async throws {
        let consumer = try await AMQPConsumer.connect(amqp, queue: topology.reportQueue, prefetch: prefetch)
        await withTaskCancellationHandler {
            // The broker bounds the messages in flight (unacked) to `prefetch`; `applying` the reports.
            await withDiscardingTaskGroup { group in
                do {
                    for try await delivery in consumer.deliveries {
                        group.addTask { await self.apply(delivery, consumer: consumer) }
                    }
                } catch where !Task.isCancelled {
                    log("coordinator: report consumer stopped: \(error)")
                } catch {
                    // Cancelled: the coordinator is shutting down, which is no news.
                }
            }
        } onCancel: {
            Task { await consumer.close() }
        }
        await consumer.close()
    }

    /// Applies the reports of one message (one report, or a worker's batch) and settles it: acked
    /// once every report in it is applied (or can never be), else given back after a pause to be
    /// redelivered whole — reports of it already applied then change nothing.
    private func apply(_ delivery: Delivery, consumer: AMQPConsumer) async {
        guard let (reports, unreadable) = ReportMessage.decode(delivery.body, type: delivery.headers["lr-type"]?.stringValue) else {
            log("coordinator: dropping an undecodable report message \(delivery.messageID ?? "?")")
            try? await consumer.reject(delivery)
            return
        }
        if unreadable > 0 {
            log("coordinator: dropping \(unreadable) undecodable report(s) of \(reports.count + unreadable) in \(delivery.messageID ?? "?")")
        }
        let results: [ReportResult]
        if reports.count == 1 {
            results = [await apply(reports[0])]
        } else {
            results = await withTaskGroup(of: ReportResult.self) { group in
                for report in reports { group.addTask { await self.apply(report) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        guard !results.contains(where: { if case .retry = $0 { true } else { false } }) else {
            try? await Task.sleep(for: .milliseconds(200))
            try? await consumer.nack(delivery, requeue: true)
            return
        }
        do {
            try await consumer.ack(delivery)
            for case .applied(let report) in results { onApplied(report) }
        } catch {
            log("coordinator: could not ack report message \(delivery.messageID ?? "?") (\(error)); it will be redelivered")
        }
    }

    /// What became of one report of a message.
    private enum ReportResult: Sendable {
        case applied(TaskReport)
        /// It can never apply (its execution is unknown, its workflow no longer validates): acked anyway.
        case dropped
        /// Applying it failed for now: the message is redelivered.
        case retry
    }

    private func apply(_ report: TaskReport) async -> ReportResult {
        let slot = await applying.acquire()
        defer { slot.release() }
        do {
            let outcome = try await Self.outcome(of: report, payloads: payloads, log: log)
            try await coordinator.deliver(.taskCompleted(taskID: report.taskID, outcome: outcome), to: report.executionID)
            return .applied(report)
        } catch CoordinatorError.unknownExecution {
            log("coordinator: report for unknown execution \(report.executionID); acking it")
            return .dropped
        } catch CoordinatorError.invalidDefinition(let diagnostics) {
            // Retrying cannot help: the stored definition no longer passes this coordinator's
            // validation (an allow-list or a limit changed). Keep the report out of the loop, loudly.
            log("coordinator: ERROR execution \(report.executionID) cannot continue: its workflow no longer validates here "
                + "(\(diagnostics.map(\.description).joined(separator: "; "))); dropping report \(report.taskID)")
            return .dropped
        } catch {
            log("coordinator: could not apply report \(report.taskID) (\(error)); it will be redelivered")
            return .retry
        }
    }

    /// The outcome `report` carries, or the one stored under its `outcome_ref`; a stored outcome
    /// that is gone or unreadable becomes a `payload_lost` failure. Store errors are thrown (the
    /// report is redelivered).
    public static func outcome(
        of report: TaskReport, payloads: (any PayloadStore)?, log: @Sendable (String) -> Void = { _ in }
    ) async throws -> TaskOutcome {
        guard let reference = report.outcomeRef else { return report.outcome }
        if let bytes = try await payloads?.get(reference), let outcome = try? JSONValueDecoder().decode(TaskOutcome.self, from: bytes) {
            return outcome
        }
        log("coordinator: ERROR the outcome of task \(report.taskID) (\(reference)) is missing from the payload store; failing it as payload_lost")
        return .failed(TaskFailure(
            errorClass: "payload_lost", message: "the task's outcome was stored by reference and is no longer in the payload store",
            details: ["outcome_ref": .string(reference)]))
    }
}
