import CoordinatorService
import Foundation
import LazyRabbitCoordinator
import Synchronization
import WorkflowDrivers
import WorkflowEngine
import WorkflowProtocol

/// Time that moves only when a test says so.
final class VirtualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func set(_ date: Date) { current.withLock { $0 = date } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A lease on the virtual clock: expires when the test's time passes its TTL.
final class VirtualLease: LockService {
    private struct State {
        var holder: (owner: String, expiresAt: Date)?
        var token: Int64 = 0
    }

    private let clock: VirtualClock
    private let state = Mutex(State())

    init(clock: VirtualClock) { self.clock = clock }

    func acquire(_ key: String, ttlMilliseconds: Int64) async throws -> LockGrant? {
        let now = clock.now
        return state.withLock { state in
            if let holder = state.holder, holder.expiresAt > now { return nil }
            state.token += 1
            let owner = UUID().uuidString
            state.holder = (owner, now.addingTimeInterval(Double(ttlMilliseconds) / 1000))
            return LockGrant(key: key, owner: owner, fencingToken: state.token)
        }
    }

    func renew(_ grant: LockGrant, ttlMilliseconds: Int64) async throws -> Bool {
        let now = clock.now
        return state.withLock { state in
            guard let holder = state.holder, holder.owner == grant.owner, holder.expiresAt > now else { return false }
            state.holder = (grant.owner, now.addingTimeInterval(Double(ttlMilliseconds) / 1000))
            return true
        }
    }

    func release(_ grant: LockGrant) async throws {
        state.withLock { state in
            if state.holder?.owner == grant.owner { state.holder = nil }
        }
    }
}

/// A performer that performs nothing: every started execution stays running until cancelled.
struct StillPerformer: EffectPerformer {
    func perform(_ effects: [EngineEffect], for instance: ExecutionInstance, staged: [OutboxMessage]) async {}
}

/// A tick store whose next save fails, as if the leader died between starting a tick and recording it.
final class FailingOnceTickStore: ScheduleTickStore {
    private let inner = InMemoryScheduleTickStore()
    private let failNext = Mutex(false)

    func failNextSave() { failNext.withLock { $0 = true } }

    func state(workflowID: String) async throws -> ScheduleTickState? { try await inner.state(workflowID: workflowID) }

    func save(_ state: ScheduleTickState, workflowID: String, fencingToken: Int64) async throws -> Bool {
        if failNext.withLock({ flag in defer { flag = false }; return flag }) { throw StoreError.backend("crashed before saving") }
        return try await inner.save(state, workflowID: workflowID, fencingToken: fencingToken)
    }
}

/// A tick store that holds each read for a moment and remembers how many there were and how
/// many were in flight at once.
final class CountingTickStore: ScheduleTickStore {
    private let inner = InMemoryScheduleTickStore()
    private let reads = Mutex((total: 0, inFlight: 0, most: 0))

    /// The most reads that were in flight at the same time.
    var mostAtOnce: Int { reads.withLock { $0.most } }
    /// Every read so far.
    var total: Int { reads.withLock { $0.total } }

    func state(workflowID: String) async throws -> ScheduleTickState? {
        reads.withLock { reads in
            reads.total += 1
            reads.inFlight += 1
            reads.most = max(reads.most, reads.inFlight)
        }
        defer { reads.withLock { $0.inFlight -= 1 } }
        try await Task.sleep(for: .milliseconds(20))
        return try await inner.state(workflowID: workflowID)
    }

    func save(_ state: ScheduleTickState, workflowID: String, fencingToken: Int64) async throws -> Bool {
        try await inner.save(state, workflowID: workflowID, fencingToken: fencingToken)
    }
}
