import CoordinatorService
import DriverSupport
import Foundation
import LazyRabbitCoordinator
import PostgresDriver
import RedisDriver
import Synchronization
import Testing
import WorkflowDSL
import WorkflowDrivers

@Suite("Scheduler on Redis and PostgreSQL", .serialized)
struct SchedulerIntegrationTests {
    static let everySecond = """
        apiVersion: lazyrabbit/v1
        name: every-second
        start: work
        schedule: { cron: "* * * * * *", overlap: allow, catch_up: all }
        states:
          work: { type: wait, duration: 1h, next: done }
          done: { type: succeed }
        """

    /// A coordinator that accepts schedules firing every second (the default minimum is 10 s).
    static func allowEverySecond(_ configuration: inout CoordinatorConfiguration) {
        configuration.validation.limits.minScheduleIntervalSeconds = 1
    }

    /// Two schedulers race for one Redis lease on a per-second schedule; the first leader stops
    /// without resigning halfway through. Every second from the first tick to the last started
    /// exactly one execution, whoever fired it.
    @Test func twoSchedulersRacingStartEachTickOnce() async throws {
        try await DistributedHarness.with(workers: 0, configure: Self.allowEverySecond) { harness in
            let tag = UUID().uuidString.prefix(8).lowercased()
            let redis = try RedisPool(url: ServerSettings.redisURL)
            let workflow = try await harness.plane.createWorkflow(source: Self.everySecond, by: Requester(user: "ada")).0
            var configuration = SchedulerConfiguration()
            configuration.leaseKey = "scheduler:\(tag)"
            configuration.leaseMilliseconds = 1500
            let schedulers = (0..<2).map { _ in
                WorkflowScheduler(
                    controlPlane: harness.plane, lease: RedisLockService(pool: redis, keyPrefix: "lrtest:\(tag):"),
                    ticks: PostgresScheduleTickStore(pool: harness.pool), configuration: configuration)
            }
            let start = ContinuousClock.now
            let byScheduler = try await withThrowingTaskGroup(of: (Int, [WorkflowScheduler.Fired]).self) { group in
                for (index, scheduler) in schedulers.enumerated() {
                    // The first starts first (and leads), runs 3 s and dies without resigning: its
                    // lease must expire before the second, racing all along, takes over until 7 s.
                    let end = start + .seconds(index == 0 ? 3 : 7)
                    group.addTask {
                        if index == 1 { try await Task.sleep(for: .milliseconds(300)) }
                        var fired: [WorkflowScheduler.Fired] = []
                        while ContinuousClock.now < end {
                            fired += try await scheduler.pass(at: Date()).fired
                            try await Task.sleep(for: .milliseconds(200))
                        }
                        return (index, fired)
                    }
                }
                return try await group.reduce(into: [Int: [WorkflowScheduler.Fired]]()) { $0[$1.0] = $1.1 }
            }
            #expect(byScheduler[0]?.isEmpty == false && byScheduler[1]?.isEmpty == false, "leadership moved from the first to the second")
            let fired = byScheduler.values.flatMap { $0 }
            let created = fired.filter(\.created)
            #expect(Set(created.map(\.tick)).count == created.count, "a tick started two executions")
            let executions = try await harness.store.executions(
                matching: ExecutionQuery(workflowID: workflow.id, limit: 1000)).executions
            #expect(executions.count == created.count)
            let seconds = Set(executions.compactMap { $0.idempotencyKey?.split(separator: ":").last.flatMap { Int64($0) } })
            #expect(seconds.count == executions.count, "one execution per tick")
            let first = try #require(seconds.min()), last = try #require(seconds.max())
            #expect(seconds == Set(first...last), "every second from the first tick to the last fired once")
            #expect(last - first >= 4)
            #expect(executions.allSatisfy { $0.owner == "ada" })
        }
    }

    @Test func fencingRefusesAnOlderLeadersBookkeeping() async throws {
        try await DistributedHarness.with(workers: 0, configure: Self.allowEverySecond) { harness in
            let workflow = try await harness.plane.createWorkflow(source: Self.everySecond, by: Requester(user: "ada")).0
            let ticks = PostgresScheduleTickStore(pool: harness.pool)
            let newer = ScheduleTickState(lastTick: Date(timeIntervalSince1970: 1_750_000_002), bufferedTick: Date(timeIntervalSince1970: 1_750_000_001))
            #expect(try await ticks.save(newer, workflowID: workflow.id, fencingToken: 7))
            #expect(try await !ticks.save(ScheduleTickState(lastTick: Date(timeIntervalSince1970: 1_750_000_000)), workflowID: workflow.id, fencingToken: 6))
            #expect(try await ticks.state(workflowID: workflow.id) == newer)
            #expect(try await ticks.save(ScheduleTickState(lastTick: Date(timeIntervalSince1970: 1_750_000_003)), workflowID: workflow.id, fencingToken: 7))
        }
    }
}
