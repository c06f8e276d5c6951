import CoordinatorService
import Foundation
import LazyRabbitWorker
import Testing
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol
@testable import WorkflowEngine

/// Which outbox rows a step writes for its timers and which it withdraws: a cancelled timer's row
/// exactly as it was written, never a row the same step writes, and no row at all for a timer set
/// and cancelled within the step.
@Suite struct DistributedEffectsTests {
    static let effects = DistributedEffects(topology: WorkerTopology(prefix: "lr"))
    static let start = Date(timeIntervalSince1970: 1_700_000_000)
    static let record = ExecutionRecord(
        id: "ex-1", workflowName: "wf", definitionSource: "name: wf\n", status: .running, sequence: 3,
        snapshot: ExecutionSnapshot(Data([1])), input: .emptyObject, createdAt: start, updatedAt: start)

    /// The instance after a step, holding `timers`.
    static func instance(timers: [String: Date] = [:]) -> ExecutionInstance {
        ExecutionInstance(
            id: "ex-1", workflowName: "wf", status: .running, input: .emptyObject, sequence: 3, startedAt: start, finishedAt: nil,
            threads: [:], fanOuts: [:], pendingTasks: [:], timers: timers, visits: [:], bufferedSignals: [:],
            output: nil, error: nil, paused: nil, heldTasks: nil)
    }

    /// The message id of the row a step setting `timerID` to fire at `fireAt` writes.
    static func row(_ timerID: String, _ fireAt: Date) async throws -> String {
        let staged = try await effects.outbox(
            for: [.scheduleTimer(id: timerID, fireAt: fireAt)], of: instance(timers: [timerID: fireAt]), record: record)
        return try #require(staged.first?.messageID)
    }

    @Test func aCancelledTimerWithdrawsTheRowItWasWrittenAs() async throws {
        let fireAt = Self.start.addingTimeInterval(30.125)
        let withdrawn = Self.effects.withdrawn(by: [.cancelTimer(id: "timeout:a", fireAt: fireAt)], of: Self.instance())
        #expect(withdrawn == [try await Self.row("timeout:a", fireAt)])
        #expect(try await Self.row("timeout:a", fireAt.addingTimeInterval(1)) != withdrawn.first, "the same timer set for another time is another row")
    }

    @Test func aStepWithdrawsNoRowItWritesItself() async throws {
        let fireAt = Self.start.addingTimeInterval(60)
        let step: [EngineEffect] = [
            .cancelTimer(id: "again", fireAt: fireAt), .scheduleTimer(id: "again", fireAt: fireAt),
            .cancelTimer(id: "gone", fireAt: fireAt), .finished(.completed),
        ]
        let after = Self.instance(timers: ["again": fireAt])
        let staged = try await Self.effects.outbox(for: step, of: after, record: Self.record)
        #expect(staged.map(\.messageID) == [try await Self.row("again", fireAt)])
        #expect(Self.effects.withdrawn(by: step, of: after) == [try await Self.row("gone", fireAt)])
    }

    @Test func aTimerSetAndCancelledWithinTheStepWritesNothing() async throws {
        let fireAt = Self.start.addingTimeInterval(3600)
        let step: [EngineEffect] = [.scheduleTimer(id: "workflow-timeout", fireAt: fireAt), .cancelTimer(id: "workflow-timeout", fireAt: fireAt)]
        let staged = try await Self.effects.outbox(for: step, of: Self.instance(), record: Self.record)
        #expect(staged.isEmpty)
        #expect(Self.effects.withdrawn(by: step, of: Self.instance()).isEmpty)
    }
}
