import Synchronization
import WorkflowDrivers

/// Each user's unfinished executions, for ``UserQuotas/unfinishedExecutions``, without a count in
/// the store on every start: a user well under the quota is counted at most once per
/// ``recount`` and this process's starts since are added (finishes are not seen until the next
/// count, so the tally errs high); at or over the quota the store is asked again before a start
/// is refused. Other replicas' starts show at their next count, so the quota is soft: a burst
/// across replicas can pass it by what they start within ``recount``.
final class UnfinishedExecutionTally: Sendable {
    private struct Tally {
        var executions: Int
        var countedAt: ContinuousClock.Instant
    }

    /// How long a count stands before the store is asked again.
    static let recount: Duration = .seconds(1)
    /// Users tallied at once before stale tallies are dropped.
    private static let maxUsers = 10_000

    private let tallies = Mutex<[String: Tally]>([:])

    /// Whether `owner` may start one more execution under `limit`; counts it when so.
    func admit(_ owner: String, limit: Int, store: any ExecutionStore) async throws -> Bool {
        let now = ContinuousClock.now
        let admittedFromTally = tallies.withLock { tallies -> Bool in
            guard var tally = tallies[owner], now - tally.countedAt < Self.recount, tally.executions < limit else { return false }
            tally.executions += 1
            tallies[owner] = tally
            return true
        }
        if admittedFromTally { return true }
        let counted = try await store.unfinishedCount(owner: owner, limit: limit)
        return tallies.withLock { tallies in
            if tallies.count >= Self.maxUsers { tallies = tallies.filter { now - $0.value.countedAt < Self.recount } }
            let admitted = counted < limit
            tallies[owner] = Tally(executions: counted + (admitted ? 1 : 0), countedAt: now)
            return admitted
        }
    }
}
