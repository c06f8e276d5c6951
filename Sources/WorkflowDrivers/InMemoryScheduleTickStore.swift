import Foundation
import Synchronization

/// Schedule bookkeeping for one process (tests, single-process setups), with the fencing rule of
/// the durable stores.
public final class InMemoryScheduleTickStore: ScheduleTickStore {
    private let states = Mutex<[String: (state: ScheduleTickState, token: Int64)]>([:])

    public init() {}

    public func state(workflowID: String) async throws -> ScheduleTickState? {
        states.withLock { $0[workflowID]?.state }
    }

    public func save(_ state: ScheduleTickState, workflowID: String, fencingToken: Int64) async throws -> Bool {
        states.withLock { states in
            if let stored = states[workflowID], stored.token > fencingToken { return false }
            states[workflowID] = (state, fencingToken)
            return true
        }
    }
}
