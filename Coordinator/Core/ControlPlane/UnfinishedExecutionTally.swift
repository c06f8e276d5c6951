import WorkflowDrivers

/// Each user's unfinished executions, for ``UserQuotas/unfinishedExecutions``, without a count in
/// the store on every start: a user under the quota is counted at most once per ``recount`` and
/// this process's starts since are added (finishes are not seen until the next count, so the
/// tally errs high); at the quota the store is asked again before a start is refused. Starts that
/// find no fresh tally at the same time share one count and are then admitted one by one, and a
/// count adds the starts admitted but not yet written (``settled(_:)`` ends one), so one process
/// never admits past the quota. Other replicas' starts show at their next count, so the
/// quota is soft across replicas: a burst can pass it by what they start within ``recount``.
actor UnfinishedExecutionTally {
    private struct Tally {
        var executions: Int
        var countedAt: ContinuousClock.Instant
    }

    /// How long a count stands before the store is asked again.
    static let recount: Duration = .seconds(1)
    /// Users tallied at once before stale tallies are dropped.
    private static let maxUsers = 10_000

    private var tallies: [String: Tally] = [:]
    /// A count in flight for a user, shared by every start that needs it.
    private struct Count {
        let task: Task<Int, any Error>
        let began: ContinuousClock.Instant
        /// Starts written while it ran: it may have read the store before them, and they are no
        /// longer unwritten either.
        var settledMeanwhile = 0
    }

    private var counting: [String: Count] = [:]
    /// Starts admitted and not yet written (or refused) per user: a count cannot see them.
    private var unwritten: [String: Int] = [:]

    /// Whether `owner` may start one more execution under `limit` (counting it when so), and how
    /// many unfinished executions `owner` has as far as this process knows.
    func admit(_ owner: String, limit: Int, store: any ExecutionStore) async throws -> (admitted: Bool, unfinished: Int) {
        if let tally = tallies[owner], ContinuousClock.now - tally.countedAt < Self.recount, tally.executions < limit {
            return take(owner)
        }
        let count = counting[owner] ?? Count(task: Task { try await store.unfinishedCount(owner: owner, limit: limit) }, began: ContinuousClock.now)
        counting[owner] = count
        let counted: Int
        do {
            counted = try await count.task.value
        } catch {
            if counting[owner]?.task == count.task { counting[owner] = nil }  // the next start counts again
            throw error
        }
        if let installing = counting[owner], installing.task == count.task {
            // The first start back from this count installs it; the others find it installed.
            counting[owner] = nil
            if tallies.count >= Self.maxUsers { tallies = tallies.filter { count.began - $0.value.countedAt < Self.recount } }
            tallies[owner] = Tally(executions: counted + unwritten[owner, default: 0] + installing.settledMeanwhile, countedAt: count.began)
        }
        guard let tally = tallies[owner], tally.executions < limit else { return (false, tallies[owner]?.executions ?? counted) }
        return take(owner)
    }

    /// One start of `owner` that ``admit(_:limit:store:)`` admitted is written (or was refused):
    /// a count sees it from now on (if it exists).
    func settled(_ owner: String) {
        guard let pending = unwritten[owner] else { return assertionFailure("a start of \(owner) settled that was never admitted") }
        unwritten[owner] = pending > 1 ? pending - 1 : nil
        counting[owner]?.settledMeanwhile += 1
    }

    /// Counts one more start of `owner`.
    private func take(_ owner: String) -> (admitted: Bool, unfinished: Int) {
        tallies[owner]?.executions += 1
        unwritten[owner, default: 0] += 1
        return (true, tallies[owner]?.executions ?? 1)
    }
}
