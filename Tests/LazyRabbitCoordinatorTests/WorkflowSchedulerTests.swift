import CoordinatorService
import Foundation
import LazyRabbitCoordinator
import Testing
import WorkflowDSL
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

@Suite("Workflow scheduler (virtual clock, in-memory lease and stores)")
struct WorkflowSchedulerTests {
    static func date(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text.replacingOccurrences(of: " ", with: "T") + "Z")!
    }

    static func source(cron: String, overlap: String = "allow", catchUp: String = "latest", name: String = "nightly") -> String {
        """
        apiVersion: lazyrabbit/v1
        name: \(name)
        start: work
        schedule:
          cron: "\(cron)"
          overlap: \(overlap)
          catch_up: \(catchUp)
          input: { report: daily }
        states:
          work: { type: wait, duration: 1h, next: done }
          done: { type: succeed }
        """
    }

    /// One control plane over in-memory stores, a shared lease, and schedulers that use them.
    struct World {
        let clock = VirtualClock(WorkflowSchedulerTests.date("2025-06-01 10:00:30"))
        let store = InMemoryExecutionStore()
        let workflows = InMemoryWorkflowRepository()
        let plane: ControlPlane
        let lease: VirtualLease
        let ticks: any ScheduleTickStore
        var workflowID = ""

        init(ticks: any ScheduleTickStore = InMemoryScheduleTickStore()) {
            let clock = self.clock
            plane = ControlPlane(
                coordinator: ExecutionCoordinator(store: store, performer: StillPerformer(), clock: { clock.now }),
                store: store, workflows: workflows, clock: { clock.now })
            lease = VirtualLease(clock: clock)
            self.ticks = ticks
        }

        mutating func create(_ source: String) async throws {
            workflowID = try await plane.createWorkflow(source: source, by: Requester(user: "ada")).0.id
        }

        /// Leases last 90 s and ticks count as missed after 5 minutes, on the virtual clock;
        /// `configure` may change more.
        func scheduler(configure: (inout SchedulerConfiguration) -> Void = { _ in }) -> WorkflowScheduler {
            var configuration = SchedulerConfiguration()
            configuration.leaseMilliseconds = 90_000
            configuration.missedAfterSeconds = 300
            configure(&configuration)
            return WorkflowScheduler(controlPlane: plane, lease: lease, ticks: ticks, configuration: configuration, clock: { clock.now })
        }

        /// Moves the clock to `time` (UTC, `yyyy-MM-dd HH:mm:ss`) and runs one pass.
        func pass(_ scheduler: WorkflowScheduler, at time: String) async throws -> WorkflowScheduler.Pass {
            clock.set(WorkflowSchedulerTests.date(time))
            return try await scheduler.pass(at: clock.now)
        }

        func executions() async throws -> [ExecutionRecord] {
            try await store.executions(matching: ExecutionQuery(limit: 1000)).executions.sorted { $0.createdAt < $1.createdAt }
        }

        func finishAll() async throws {
            for execution in try await executions() where !execution.status.isTerminal {
                try await plane.cancel(executionID: execution.id, reason: "done", by: Requester(user: "ada"))
            }
        }
    }

    private func ticks(_ pass: WorkflowScheduler.Pass) -> [Date] { pass.fired.map(\.tick) }

    @Test func firesOnTimeAsTheOwnerWithTheScheduleInput() async throws {
        var world = World()
        try await world.create(Self.source(cron: "* * * * *"))
        let scheduler = world.scheduler()
        #expect(try await world.pass(scheduler, at: "2025-06-01 10:00:45").fired.isEmpty)
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:01:00")) == [Self.date("2025-06-01 10:01:00")])
        #expect(try await world.pass(scheduler, at: "2025-06-01 10:01:30").fired.isEmpty)
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:02:01")) == [Self.date("2025-06-01 10:02:00")])
        let executions = try await world.executions()
        #expect(executions.count == 2)
        #expect(executions.allSatisfy { $0.owner == "ada" && $0.workflowID == world.workflowID && $0.input == ["report": "daily"] })
        #expect(executions.map(\.idempotencyKey) == [
            WorkflowScheduler.idempotencyKey(workflowID: world.workflowID, tick: Self.date("2025-06-01 10:01:00")),
            WorkflowScheduler.idempotencyKey(workflowID: world.workflowID, tick: Self.date("2025-06-01 10:02:00")),
        ])
    }

    /// A tick whose key already started an execution of another workflow (or version) is
    /// dropped and logged; the schedule goes on with the next tick instead of failing every pass.
    @Test func aTickWhoseKeyIsTakenIsDroppedNotRetriedForever() async throws {
        var world = World()
        try await world.create(Self.source(cron: "* * * * *"))
        let scheduled = world.workflowID
        let other = try await world.plane.createWorkflow(source: PlainWorkflow.source, by: Requester(user: "ada")).0.id
        _ = try await world.plane.startExecution(
            workflowID: other, input: .emptyObject,
            idempotencyKey: WorkflowScheduler.idempotencyKey(workflowID: scheduled, tick: Self.date("2025-06-01 10:01:00")),
            by: Requester(user: "ada"))
        let scheduler = world.scheduler()
        #expect(try await world.pass(scheduler, at: "2025-06-01 10:01:00").fired.isEmpty)
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:02:00")) == [Self.date("2025-06-01 10:02:00")])
    }

    /// A schedule removed by one version and declared again by a later one starts afresh: the
    /// ticks in between were nobody's.
    @Test func aScheduleDeclaredAgainDoesNotFireTheTicksItDidNotHave() async throws {
        var world = World()
        try await world.create(Self.source(cron: "* * * * *"))
        let scheduler = world.scheduler()
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:01:00")).count == 1)
        let ada = Requester(user: "ada")
        world.clock.set(Self.date("2025-06-01 10:01:30"))
        _ = try await world.plane.addVersion(
            workflowID: world.workflowID, source: PlainWorkflow.source.replacingOccurrences(of: "name: plain", with: "name: nightly"), by: ada)
        #expect(try await world.pass(scheduler, at: "2025-06-01 10:03:00").fired.isEmpty)
        world.clock.set(Self.date("2025-06-01 10:04:30"))
        _ = try await world.plane.addVersion(workflowID: world.workflowID, source: Self.source(cron: "* * * * *"), by: ada)
        // Edited again before it fired: the run of scheduled versions still starts at 10:04:30.
        _ = try await world.plane.addVersion(workflowID: world.workflowID, source: Self.source(cron: "* * * * *", catchUp: "all"), by: ada)
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:05:00")) == [Self.date("2025-06-01 10:05:00")])
    }

    /// A pass looks at scheduled workflows only: however many others there are, newer or not,
    /// the schedule fires (a pass used to look at the newest workflows of all, up to its limit).
    @Test func workflowsWithoutASchedulePushNoScheduleOut() async throws {
        var world = World()
        try await world.create(Self.source(cron: "* * * * *"))
        for index in 0..<5 {
            _ = try await world.plane.createWorkflow(
                source: PlainWorkflow.source.replacingOccurrences(of: "name: plain", with: "name: plain-\(index)"), by: Requester(user: "bob"))
        }
        let scheduler = world.scheduler { $0.maxWorkflows = 2 }
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:01:00")) == [Self.date("2025-06-01 10:01:00")])
    }

    /// Owners take turns in a pass: a user with many schedules fires one of them, then another
    /// user's first has its turn, however much older the first user's are.
    @Test func ownersTakeTurnsInAPass() async throws {
        let overlaps = CountingTickStore()
        var world = World(ticks: overlaps)
        var bobs: [String] = []
        for index in 0..<3 {
            bobs.append(try await world.plane.createWorkflow(
                source: Self.source(cron: "* * * * *", name: "bob-\(index)"), by: Requester(user: "bob")).0.id)
        }
        try await world.create(Self.source(cron: "* * * * *"))
        let first = world.scheduler { $0.firesAtOnce = 1 }
        let fired = try await world.pass(first, at: "2025-06-01 10:01:00").fired
        #expect(fired.map(\.workflowID) == [bobs[0], world.workflowID, bobs[1], bobs[2]])
        #expect(overlaps.mostAtOnce == 1)
        await first.resign()
        let together = try await world.pass(world.scheduler(), at: "2025-06-01 10:02:00").fired
        #expect(Set(together.map(\.workflowID)) == Set(bobs + [world.workflowID]))
        #expect(overlaps.mostAtOnce >= 2, "several at once (up to eight by default), not one after another")
    }

    /// A workflow stored while the minimum interval was shorter (10 s by default) is not fired
    /// (and that is logged once) until a version fixes it; it can still be started by hand.
    @Test func aScheduleUnderTheMinimumIntervalIsNotFired() async throws {
        var world = World()
        await #expect(throws: ControlPlaneError.self) { try await world.plane.createWorkflow(source: Self.source(cron: "* * * * * *"), by: Requester(user: "ada")) }
        world.workflowID = try await world.workflows.create(
            owner: "ada", name: "nightly", source: Self.source(cron: "* * * * * *"), scheduled: true, at: world.clock.now).workflowID
        let lines = CollectedStrings()
        let scheduler = WorkflowScheduler(
            controlPlane: world.plane, lease: world.lease, ticks: world.ticks, clock: { [clock = world.clock] in clock.now }, log: { lines.append($0) })
        #expect(try await world.pass(scheduler, at: "2025-06-01 10:01:00").fired.isEmpty)
        #expect(try await world.pass(scheduler, at: "2025-06-01 10:02:00").fired.isEmpty)
        #expect(lines.all.filter { $0.contains("is not fired") }.count == 1, "\(lines.all)")
        #expect(lines.all.allSatisfy { !$0.contains("did not start") }, "\(lines.all)")
        _ = try await world.plane.startExecution(workflowID: world.workflowID, input: .emptyObject, by: Requester(user: "ada"))

        _ = try await world.plane.addVersion(workflowID: world.workflowID, source: Self.source(cron: "*/10 * * * * *"), by: Requester(user: "ada"))
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:02:10")) == [Self.date("2025-06-01 10:02:10")])
    }

    /// Between ticks a pass does not read a workflow's bookkeeping: nothing can be due before the
    /// next tick after what it last read or saved.
    @Test func aPassBetweenTicksReadsNothing() async throws {
        let reads = CountingTickStore()
        var world = World(ticks: reads)
        try await world.create(Self.source(cron: "* * * * *"))
        let scheduler = world.scheduler()
        #expect(try await world.pass(scheduler, at: "2025-06-01 10:00:40").fired.isEmpty)
        #expect(try await world.pass(scheduler, at: "2025-06-01 10:00:50").fired.isEmpty)
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:01:00")) == [Self.date("2025-06-01 10:01:00")])
        #expect(try await world.pass(scheduler, at: "2025-06-01 10:01:30").fired.isEmpty)
        #expect(reads.total == 2, "a read at 10:00:40 and at 10:01:00 only")
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:02:00")) == [Self.date("2025-06-01 10:02:00")])
        #expect(reads.total == 3)
    }

    @Test func skipDropsTicksWhileARunIsGoing() async throws {
        var world = World()
        try await world.create(Self.source(cron: "* * * * *", overlap: "skip"))
        let scheduler = world.scheduler()
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:01:00")).count == 1)
        #expect(try await world.pass(scheduler, at: "2025-06-01 10:02:00").fired.isEmpty)
        try await world.finishAll()
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:03:00")) == [Self.date("2025-06-01 10:03:00")])
        #expect(try await world.executions().count == 2)
    }

    @Test func allowOverlaps() async throws {
        var world = World()
        try await world.create(Self.source(cron: "* * * * *", overlap: "allow"))
        let scheduler = world.scheduler()
        _ = try await world.pass(scheduler, at: "2025-06-01 10:01:00")
        _ = try await world.pass(scheduler, at: "2025-06-01 10:02:00")
        _ = try await world.pass(scheduler, at: "2025-06-01 10:03:00")
        #expect(try await world.executions().filter { !$0.status.isTerminal }.count == 3)
    }

    @Test func bufferOneKeepsOneTickForWhenTheRunFinishes() async throws {
        var world = World()
        try await world.create(Self.source(cron: "* * * * *", overlap: "buffer_one"))
        let scheduler = world.scheduler()
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:01:00")) == [Self.date("2025-06-01 10:01:00")])
        #expect(try await world.pass(scheduler, at: "2025-06-01 10:02:00").fired.isEmpty)  // buffered
        #expect(try await world.pass(scheduler, at: "2025-06-01 10:03:00").fired.isEmpty)  // dropped: the buffer is full
        try await world.finishAll()
        // The buffered 10:02 starts (late, but it was buffered, not missed); 10:04 is not due yet.
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:03:40")) == [Self.date("2025-06-01 10:02:00")])
        #expect(try await world.pass(scheduler, at: "2025-06-01 10:04:00").fired.isEmpty)  // 10:04 buffered behind 10:02
        try await world.finishAll()
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 10:04:20")) == [Self.date("2025-06-01 10:04:00")])
        #expect(try await world.executions().count == 3)
    }

    @Test(arguments: [
        ("none", [String]()),
        ("latest", ["2025-06-01 14:00:00"]),
        ("all", ["2025-06-01 12:00:00", "2025-06-01 13:00:00", "2025-06-01 14:00:00"]),
    ])
    func catchUpAfterDowntime(policy: String, expected: [String]) async throws {
        var world = World()
        try await world.create(Self.source(cron: "0 * * * *", overlap: "allow", catchUp: policy))
        let scheduler = world.scheduler()
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 11:00:00")) == [Self.date("2025-06-01 11:00:00")])
        // Down from 11:00 to 14:30: 12:00, 13:00 and 14:00 were missed.
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 14:30:00")) == expected.map(Self.date))
        // Back on schedule afterwards, whatever the policy.
        #expect(ticks(try await world.pass(scheduler, at: "2025-06-01 15:00:00")) == [Self.date("2025-06-01 15:00:00")])
    }

    @Test func catchUpAllIsCappedAtTheNewestHundred() async throws {
        var world = World()
        try await world.create(Self.source(cron: "* * * * *", overlap: "allow", catchUp: "all"))
        let fired = try await world.pass(world.scheduler(), at: "2025-06-01 14:00:00").fired
        #expect(fired.count == WorkflowSchedule.catchUpLimit)
        #expect(fired.last?.tick == Self.date("2025-06-01 14:00:00"))
        #expect(fired.first?.tick == Self.date("2025-06-01 12:21:00"))
    }

    @Test func aSchedulerWithoutTheLeaseFiresNothing() async throws {
        var world = World()
        try await world.create(Self.source(cron: "* * * * *"))
        let leader = world.scheduler(), follower = world.scheduler()
        #expect(try await world.pass(leader, at: "2025-06-01 10:00:50").leader)
        let pass = try await world.pass(follower, at: "2025-06-01 10:01:00")
        #expect(!pass.leader && pass.fired.isEmpty)
        #expect(await !follower.isLeader)
        #expect(try await world.executions().isEmpty)
    }

    @Test func leadershipMovesWhenTheLeaseExpiresAndNoTickFiresTwice() async throws {
        var world = World()
        try await world.create(Self.source(cron: "* * * * *"))
        let first = world.scheduler(), second = world.scheduler()
        _ = try await world.pass(first, at: "2025-06-01 10:01:00")
        _ = try await world.pass(second, at: "2025-06-01 10:01:01")
        _ = try await world.pass(first, at: "2025-06-01 10:02:00")
        // The first scheduler stalls; its lease (90 s) runs out and the second takes over.
        #expect(try await world.pass(second, at: "2025-06-01 10:03:00").fired.isEmpty)
        let takeover = try await world.pass(second, at: "2025-06-01 10:03:31")
        #expect(takeover.leader && ticks(takeover) == [Self.date("2025-06-01 10:03:00")])
        // The first comes back: its renewal is refused and it fires nothing.
        let stale = try await world.pass(first, at: "2025-06-01 10:04:00")
        #expect(!stale.leader && stale.fired.isEmpty)
        #expect(ticks(try await world.pass(second, at: "2025-06-01 10:04:01")) == [Self.date("2025-06-01 10:04:00")])
        let keys = try await world.executions().compactMap(\.idempotencyKey)
        #expect(keys.count == 4 && Set(keys).count == 4)
    }

    @Test func aTickFiredTwiceAcrossALeaderChangeStartsOneExecution() async throws {
        let store = FailingOnceTickStore()
        var world = World(ticks: store)
        try await world.create(Self.source(cron: "* * * * *"))
        let first = world.scheduler(), second = world.scheduler()
        // The first leader starts 10:01 but dies before recording it.
        store.failNextSave()
        let crashed = try await world.pass(first, at: "2025-06-01 10:01:00")
        #expect(crashed.fired.isEmpty)
        #expect(try await world.executions().count == 1)
        // The second leader takes over after the lease expires and fires 10:01 again: same execution.
        let retried = try await world.pass(second, at: "2025-06-01 10:02:31")
        #expect(retried.leader)
        #expect(retried.fired.map(\.tick) == [Self.date("2025-06-01 10:01:00"), Self.date("2025-06-01 10:02:00")])
        #expect(retried.fired.map(\.created) == [false, true])
        #expect(try await world.executions().count == 2)
    }

    @Test func aDeposedLeadersBookkeepingIsRefused() async throws {
        let store = InMemoryScheduleTickStore()
        #expect(try await store.save(ScheduleTickState(lastTick: Self.date("2025-06-01 10:02:00")), workflowID: "1", fencingToken: 2))
        #expect(try await !store.save(ScheduleTickState(lastTick: Self.date("2025-06-01 10:01:00")), workflowID: "1", fencingToken: 1))
        #expect(try await store.state(workflowID: "1")?.lastTick == Self.date("2025-06-01 10:02:00"))
    }

    @Test func aWorkflowWithoutAScheduleNeverFires() async throws {
        var world = World()
        try await world.create("""
            apiVersion: lazyrabbit/v1
            name: manual
            start: done
            states:
              done: { type: succeed }
            """)
        #expect(try await world.pass(world.scheduler(), at: "2025-06-01 12:00:00").fired.isEmpty)
    }
}

@Suite("Schedule plans")
struct SchedulePlanTests {
    private let now = WorkflowSchedulerTests.date("2025-06-01 12:00:30")
    private func at(_ minute: Int) -> Date { WorkflowSchedulerTests.date("2025-06-01 11:00:00").addingTimeInterval(Double(minute) * 60) }

    @Test func nothingDueChangesNothing() {
        let plan = SchedulePlan.make(
            schedule: WorkflowSchedule(cron: "* * * * *"), due: [], previous: ScheduleTickState(lastTick: at(59)), running: 0, now: now, missedAfter: 60)
        #expect(plan == SchedulePlan(start: [], state: nil))
    }

    @Test func skipWithCatchUpAllStartsOnlyTheOldest() {
        let plan = SchedulePlan.make(
            schedule: WorkflowSchedule(cron: "* * * * *", overlap: .skip, catchUp: .all), due: [at(10), at(20), at(60)], previous: nil,
            running: 0, now: now, missedAfter: 60)
        #expect(plan.start == [at(10)])
        #expect(plan.state == ScheduleTickState(lastTick: at(60)))
    }

    @Test func bufferOneHoldsTheNextWhenStarting() {
        let plan = SchedulePlan.make(
            schedule: WorkflowSchedule(cron: "* * * * *", overlap: .bufferOne, catchUp: .all), due: [at(10), at(20), at(60)], previous: nil,
            running: 0, now: now, missedAfter: 60)
        #expect(plan.start == [at(10)])
        #expect(plan.state == ScheduleTickState(lastTick: at(60), bufferedTick: at(20)))
    }

    @Test func catchUpNoneStillFiresATickThatIsOnTime() {
        let plan = SchedulePlan.make(
            schedule: WorkflowSchedule(cron: "* * * * *", overlap: .allow, catchUp: .none), due: [at(10), at(60)], previous: nil,
            running: 0, now: now, missedAfter: 60)
        #expect(plan.start == [at(60)])
    }
}

/// A workflow without a schedule.
enum PlainWorkflow {
    static let source = """
        apiVersion: lazyrabbit/v1
        name: plain
        start: done
        states:
          done: { type: succeed }
        """
}
