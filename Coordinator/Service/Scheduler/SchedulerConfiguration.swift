/// Settings of a ``WorkflowScheduler``.
public struct SchedulerConfiguration: Sendable {
    /// The lease every replica competes for; the holder is the one that fires ticks. Default `scheduler:leader`.
    public var leaseKey = "scheduler:leader"
    /// How long a lease lasts without renewal: how long ticks may wait when a leader dies. Default 15 s.
    public var leaseMilliseconds: Int64 = 15_000
    /// Time between passes (each renews the lease and fires what is due). Default 1 s.
    public var interval: Duration = .seconds(1)
    /// A tick later than this is missed and follows the schedule's `catch_up`. Default 60 s.
    public var missedAfterSeconds: Double = 60
    /// The most scheduled workflows one pass looks at (oldest first; workflows without a schedule
    /// are not looked at). Default 10 000.
    public var maxWorkflows = 10_000
    /// How many workflows a pass fires at the same time (owners take turns). Default 8.
    public var firesAtOnce = 8

    public init() {}
}
