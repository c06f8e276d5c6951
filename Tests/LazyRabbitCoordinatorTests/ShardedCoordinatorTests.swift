import Foundation
import LazyRabbitCoordinator
import Synchronization
import Testing
import WorkflowDSL
import WorkflowDrivers
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

/// The coordinator spreads executions over several actors; these tests drive many executions at
/// once through four shards, on the in-memory store (no server needed).
@Suite("ExecutionCoordinator shards")
struct ShardedCoordinatorTests {
    /// Keeps the tasks the engine dispatched, to answer them.
    final class DispatchRecorder: EffectPerformer {
        private let dispatched = Mutex<[StateTask]>([])

        nonisolated(nonsending) func perform(_ effects: [EngineEffect], for instance: ExecutionInstance, staged: [OutboxMessage]) async {
            let tasks = effects.compactMap { effect -> StateTask? in
                if case .dispatch(let task) = effect { return task }
                return nil
            }
            dispatched.withLock { $0.append(contentsOf: tasks) }
        }

        /// The tasks dispatched since the last call.
        func take() -> [StateTask] {
            dispatched.withLock { tasks in
                defer { tasks = [] }
                return tasks
            }
        }
    }

    static let chain = """
        apiVersion: lazyrabbit/v1
        name: sharded-chain
        start: first
        states:
          first: { type: task, callback: { type: handler, name: step }, next: second }
          second: { type: task, callback: { type: handler, name: step }, next: third }
          third: { type: task, callback: { type: handler, name: step }, next: done }
          done: { type: succeed }
        """

    /// How often a schedule may fire is checked when a definition is stored, not when it runs: an
    /// execution of a workflow accepted under a lower minimum interval still loads after a restart.
    @Test("an execution whose schedule is under today's minimum interval still loads")
    func aScheduleUnderTheMinimumDoesNotStrandItsExecutions() async throws {
        let source = """
            apiVersion: lazyrabbit/v1
            name: every-second
            start: hold
            schedule: { cron: "* * * * * *" }
            states:
              hold: { type: wait, signal: go, next: done }
              done: { type: succeed }
            """
        var lenient = ValidationOptions()
        lenient.limits.minScheduleIntervalSeconds = 1
        let definition = try #require(WorkflowDocument.load(source, options: lenient).definition)
        let store = InMemoryExecutionStore()
        let id = try await ExecutionCoordinator(store: store, performer: DispatchRecorder(), validation: lenient)
            .start(definition: definition, source: source, input: .emptyObject).id
        let restarted = ExecutionCoordinator(store: store, performer: DispatchRecorder())
        #expect(try await restarted.deliver(.signal(name: "go", payload: .null), to: id))
        #expect(try await store.execution(id: id)?.status == .completed)
    }

    @Test("every execution finishes once, with contiguous transitions, when each report arrives twice at once")
    func concurrentDuplicateReports() async throws {
        let definition = try #require(WorkflowDocument.load(Self.chain).definition)
        let store = InMemoryExecutionStore()
        let recorder = DispatchRecorder()
        let coordinator = ExecutionCoordinator(store: store, performer: recorder, shards: 4)
        var ids: [String] = []
        for _ in 0..<64 {
            ids.append(try await coordinator.start(definition: definition, source: Self.chain, input: .emptyObject).id)
        }
        var applied = 0
        var ignored = 0
        for _ in 0..<3 {
            let tasks = recorder.take()
            #expect(tasks.count == ids.count)
            // Both copies of every report race each other and every other execution's reports.
            let results = try await withThrowingTaskGroup(of: Bool.self, returning: [Bool].self) { group in
                for task in tasks + tasks {
                    group.addTask {
                        try await coordinator.deliver(.taskCompleted(taskID: task.taskID, outcome: .succeeded(.null)), to: task.executionID)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            applied += results.filter { $0 }.count
            ignored += results.filter { !$0 }.count
        }
        #expect(applied == ids.count * 3)
        #expect(ignored == ids.count * 3)
        for id in ids {
            let record = try #require(try await store.execution(id: id))
            #expect(record.status == .completed)
            let sequences = try await store.transitions(executionID: id, afterSequence: 0).map(\.sequence)
            #expect(sequences == Array(1...record.sequence))
        }
    }
}
