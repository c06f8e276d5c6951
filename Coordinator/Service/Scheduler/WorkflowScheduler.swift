public import Foundation
public import LazyRabbitCoordinator
public import WorkflowDrivers
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

/// Starts the executions of scheduled workflows (`schedule:` in a definition) when their ticks
/// come. Every coordinator replica runs one; only the holder of a lease fires, so each tick starts
/// once. The lease's fencing token goes with every bookkeeping write, and each tick's execution
/// carries the idempotency key `schedule:<workflow id>:<tick in seconds>`, so a tick fired twice
/// across a leadership change still starts one execution.
///
/// Backend-agnostic: the lease is any ``LockService`` (Redis across replicas, in-process for
/// `lazyrabbit dev`), the bookkeeping any ``ScheduleTickStore``, and executions start through the
/// ``ControlPlane`` as the workflow's owner.
///
/// ```swift
/// let scheduler = WorkflowScheduler(controlPlane: plane, lease: RedisLockService(pool: redis),
///                                   ticks: PostgresScheduleTickStore(pool: pool))
/// try await scheduler.run()          // until cancelled
/// ```
public actor WorkflowScheduler {
    /// One tick that started (or found) an execution.
    public struct Fired: Sendable, Equatable {
        public var workflowID: String
        public var tick: Date
        public var executionID: String
        /// `false` when the tick's execution already existed (fired before by an earlier leader).
        public var created: Bool
    }

    /// What one pass did.
    public struct Pass: Sendable, Equatable {
        /// Whether this scheduler held the lease during the pass.
        public var leader: Bool
        public var fired: [Fired] = []
    }

    /// The prefix of the idempotency keys of scheduled executions (the API refuses it from clients).
    public static let keyPrefix = ControlPlane.scheduledKeyPrefix

    private let controlPlane: ControlPlane
    private let lease: any LockService
    private let ticks: any ScheduleTickStore
    private let configuration: SchedulerConfiguration
    private let clock: @Sendable () -> Date
    private let log: @Sendable (String) -> Void
    private var grant: LockGrant?
    /// The fencing token of the pass that may start executions now; cleared the moment the pass
    /// stops (lease lost or not renewed, bookkeeping refused), so fires still in flight start nothing more.
    private var firingToken: Int64?
    private var schedules: [String: CachedSchedule] = [:]

    /// The schedule of one workflow version, parsed once.
    private struct CachedSchedule {
        var version: Int
        var schedule: WorkflowSchedule?
        var expression: CronExpression?
        var zone: TimeZone?
        var declaredAt: Date
        /// When the schedule was last declared again after a version without one (the creation of
        /// the first version of the newest unbroken run of scheduled versions): ticks before it are
        /// not this schedule's, whatever the bookkeeping says, and neither is a tick buffered before it.
        var resumedAt: Date?
        /// Nothing can be due before this time: the next tick after the bookkeeping last read or
        /// saved, when no tick was held back. The bookkeeping only moves forward, so a pass before
        /// it need not read anything for this workflow.
        var quietUntil: Date?
    }

    /// The administrator the scheduler reads workflows and executions as.
    private static let reader = Requester(user: "lazyrabbit-scheduler", seesEveryone: true)

    public init(
        controlPlane: ControlPlane, lease: any LockService, ticks: any ScheduleTickStore,
        configuration: SchedulerConfiguration = SchedulerConfiguration(), clock: @escaping @Sendable () -> Date = { Date() },
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.controlPlane = controlPlane
        self.lease = lease
        self.ticks = ticks
        self.configuration = configuration
        self.clock = clock
        self.log = log
    }

    /// `true` while this scheduler holds the lease (as of its last pass).
    public var isLeader: Bool { grant != nil }

    /// The idempotency key of the execution a tick starts.
    public static func idempotencyKey(workflowID: String, tick: Date) -> String {
        "\(keyPrefix)\(workflowID):\(Int64(tick.timeIntervalSince1970.rounded()))"
    }

    /// Passes every ``SchedulerConfiguration/interval`` until cancelled, then gives the lease up.
    public func run() async {
        while !Task.isCancelled {
            do {
                _ = try await pass(at: clock())
            } catch is CancellationError {
                break
            } catch {
                log("scheduler pass failed (retried next pass): \(error)")
            }
            try? await Task.sleep(for: configuration.interval)
        }
        await resign()
    }

    /// Gives the lease up, so another replica takes over at once instead of after the lease expires.
    public func resign() async {
        guard let grant else { return }
        self.grant = nil
        try? await lease.release(grant)
    }

    /// One pass at `now`: keep (or take) the lease; as leader, start whatever is due.
    ///
    /// Workflows take turns by owner (every owner's first, then every owner's second, ...), and
    /// ``SchedulerConfiguration/firesAtOnce`` of them fire at a time: one user's many schedules
    /// cannot hold another's back for long.
    ///
    /// - Throws: what the stores throw; the pass's bookkeeping is then not saved and the next
    ///   pass starts the same ticks again (idempotently). `CancellationError` when cancelled: the
    ///   pass starts nothing more.
    public func pass(at now: Date) async throws -> Pass {
        guard let token = await holdLease() else { return Pass(leader: false) }
        var pending = Self.takingTurns(try await controlPlane.scheduledWorkflows(limit: configuration.maxWorkflows))[...]
        var result = Pass(leader: true)
        var renewed = ContinuousClock.now
        firingToken = token
        await withTaskGroup(of: [Fired]?.self) { group in
            var firing = 0
            while true {
                while firingToken == token, !Task.isCancelled, firing < max(1, configuration.firesAtOnce), let workflow = pending.popFirst() {
                    // A long pass renews on the way, and stops as soon as the lease is gone.
                    if ContinuousClock.now - renewed > .milliseconds(configuration.leaseMilliseconds / 3) {
                        guard await holdLease() == token else {
                            firingToken = nil
                            break
                        }
                        renewed = ContinuousClock.now
                    }
                    group.addTask { await self.fireLogging(workflow, at: now, token: token) }
                    firing += 1
                }
                guard firing > 0, let outcome = await group.next() else { break }
                firing -= 1
                if let fired = outcome { result.fired += fired } else { firingToken = nil }
            }
        }
        if firingToken == token { firingToken = nil }
        try Task.checkCancellation()
        return result
    }

    /// `workflows` reordered so that owners take turns: each owner's first (in the order owners
    /// first appear), then each owner's second, and so on; one owner's order is kept.
    static func takingTurns(_ workflows: [WorkflowRecord]) -> [WorkflowRecord] {
        var queues: [String: [WorkflowRecord]] = [:]
        var owners: [String] = []
        for workflow in workflows {
            if queues[workflow.owner] == nil { owners.append(workflow.owner) }
            queues[workflow.owner, default: []].append(workflow)
        }
        let turns = queues.values.map(\.count).max() ?? 0
        return (0..<turns).flatMap { turn in owners.compactMap { owner in queues[owner].flatMap { turn < $0.count ? $0[turn] : nil } } }
    }

    /// ``fire(_:at:token:)``, with a failure logged and nothing fired: nothing was saved for the
    /// workflow, so the next pass starts the same ticks again (idempotently).
    private func fireLogging(_ workflow: WorkflowRecord, at now: Date, token: Int64) async -> [Fired]? {
        do {
            return try await fire(workflow, at: now, token: token)
        } catch {
            if !(error is CancellationError) { log("scheduler could not fire workflow \(workflow.id): \(error)") }
            return []
        }
    }

    /// Renews the grant, or takes the lease when free (again, after it expired). Returns the fencing token while leader.
    private func holdLease() async -> Int64? {
        if let grant {
            do {
                if try await lease.renew(grant, ttlMilliseconds: configuration.leaseMilliseconds) { return grant.fencingToken }
                // Expired or taken over: take it again below if it is free (with a new token).
                self.grant = nil
                log("scheduler lost its lease (token \(grant.fencingToken))")
            } catch {
                // Fail closed: without a confirmed lease nothing fires; the grant is renewed next pass if still ours.
                log("scheduler could not renew its lease: \(error)")
                return nil
            }
        }
        guard let acquired = try? await lease.acquire(configuration.leaseKey, ttlMilliseconds: configuration.leaseMilliseconds) else { return nil }
        grant = acquired
        log("scheduler took the lease (token \(acquired.fencingToken)); this replica fires ticks")
        return acquired.fencingToken
    }

    /// Fires the due ticks of one workflow; `nil` when the bookkeeping write was refused (a newer
    /// leader wrote it) or the pass stopped meanwhile: this scheduler has lost the lease and stops.
    private func fire(_ workflow: WorkflowRecord, at now: Date, token: Int64) async throws -> [Fired]? {
        guard let cached = try await schedule(of: workflow), let schedule = cached.schedule,
              let expression = cached.expression, let zone = cached.zone
        else { return [] }
        if let quietUntil = cached.quietUntil, now < quietUntil { return [] }
        var previous = try await ticks.state(workflowID: workflow.id)
        var after = previous?.lastTick ?? cached.declaredAt
        if let resumedAt = cached.resumedAt {
            if resumedAt > after { after = resumedAt }
            if let buffered = previous?.bufferedTick, buffered < resumedAt { previous?.bufferedTick = nil }
        }
        let due = expression.fires(after: after, through: now, in: zone, keepingLast: WorkflowSchedule.catchUpLimit)
        guard !due.ticks.isEmpty || previous?.bufferedTick != nil else {
            quiet(workflow.id, version: cached.version, until: expression.nextFire(after: max(after, now), in: zone))
            return []
        }
        let running = schedule.overlap == .allow ? 0 : try await runningScheduled(workflowID: workflow.id)
        let plan = SchedulePlan.make(
            schedule: schedule, due: due.ticks, previous: previous, running: running, now: now,
            missedAfter: configuration.missedAfterSeconds)
        if due.total > due.ticks.count {
            log("workflow \(workflow.id): \(due.total - due.ticks.count) missed ticks beyond the newest \(due.ticks.count) dropped")
        }
        var fired: [Fired] = []
        for tick in plan.start {
            guard firingToken == token else { return nil }
            if let started = try await start(workflow, version: cached.version, schedule: schedule, tick: tick) { fired.append(started) }
        }
        if let state = plan.state, !(try await ticks.save(state, workflowID: workflow.id, fencingToken: token)) {
            log("scheduler's bookkeeping for workflow \(workflow.id) was refused: a newer leader took over")
            grant = nil
            firingToken = nil
            return nil
        }
        if let state = plan.state, state.bufferedTick == nil {
            quiet(workflow.id, version: cached.version, until: expression.nextFire(after: max(state.lastTick, now), in: zone))
        }
        return fired
    }

    /// Remembers that nothing of `workflowID` (at `version`) is due before `until` (`nil`: it never
    /// fires again).
    private func quiet(_ workflowID: String, version: Int, until: Date?) {
        guard schedules[workflowID]?.version == version else { return }
        schedules[workflowID]?.quietUntil = until ?? .distantFuture
    }

    /// Starts one tick's execution as the workflow's owner; `nil` when the control plane refuses
    /// it for good (invalid input, deleted workflow; a conflict: the tick's key already started an
    /// execution of another version, when a version was added between a start and the bookkeeping
    /// saved after it): the tick is dropped and the refusal logged, so it cannot jam the schedule.
    private func start(_ workflow: WorkflowRecord, version: Int, schedule: WorkflowSchedule, tick: Date) async throws -> Fired? {
        do {
            let started = try await controlPlane.startExecution(
                workflowID: workflow.id, version: version, input: schedule.input,
                idempotencyKey: Self.idempotencyKey(workflowID: workflow.id, tick: tick), by: Requester(user: workflow.owner))
            return Fired(workflowID: workflow.id, tick: tick, executionID: started.record.id, created: started.created)
        } catch let error as ControlPlaneError {
            log("workflow \(workflow.id): the tick of \(tick) did not start: \(error)")
            return nil
        }
    }

    /// Scheduled executions of the workflow that have not finished.
    private func runningScheduled(workflowID: String) async throws -> Int {
        let running = Set(ExecutionStatus.allCases.filter { !$0.isTerminal })
        let page = try await controlPlane.executions(ExecutionQuery(statuses: running, workflowID: workflowID, limit: 1000), by: Self.reader)
        return page.executions.count { $0.idempotencyKey?.hasPrefix(Self.keyPrefix) == true }
    }

    /// The schedule of the workflow's latest version, parsed once per version. A schedule that
    /// fires more often than the control plane's minimum interval allows (stored before the
    /// minimum was raised) has no expression: starting it would be refused at every tick, so it is
    /// not fired, and said so once.
    private func schedule(of workflow: WorkflowRecord) async throws -> CachedSchedule? {
        if let cached = schedules[workflow.id], cached.version == workflow.latestVersion { return cached }
        let version = try await controlPlane.version(workflowID: workflow.id, version: workflow.latestVersion, by: Self.reader)
        let schedule = WorkflowParser.parse(version.source).definition?.schedule
        var expression = try? schedule?.expression()
        let minimum = controlPlane.validation.limits.minScheduleIntervalSeconds
        if let shortest = expression?.shortestInterval, shortest < minimum {
            log("workflow \(workflow.id) version \(version.version) is not fired: its schedule fires \(shortest) s apart, under the minimum of \(minimum) s")
            expression = nil
        }
        var cached = CachedSchedule(
            version: version.version, schedule: schedule, expression: expression, zone: schedule?.zone, declaredAt: version.createdAt)
        if schedule != nil { cached.resumedAt = try await scheduleRunStart(workflowID: workflow.id, latest: version) }
        try await controlPlane.recordSchedule(workflowID: workflow.id, scheduled: schedule != nil)
        schedules[workflow.id] = cached
        return cached
    }

    /// The creation of the first version of the newest unbroken run of versions that declare a
    /// schedule, when a version before it declared none; `nil` when every version (of the last
    /// ``maxVersionsLookedBack``) declares one.
    private func scheduleRunStart(workflowID: String, latest: WorkflowVersionRecord) async throws -> Date? {
        var first = latest
        for number in stride(from: latest.version - 1, through: max(1, latest.version - Self.maxVersionsLookedBack), by: -1) {
            let earlier = try await controlPlane.version(workflowID: workflowID, version: number, by: Self.reader)
            if WorkflowParser.parse(earlier.source).definition?.schedule == nil { return first.createdAt }
            first = earlier
        }
        return nil
    }

    /// How far back ``scheduleRunStart(workflowID:latest:)`` looks (once per new version).
    static let maxVersionsLookedBack = 100
}
