/// What a ``WorkerService`` has done so far; what its heartbeats report.
public struct WorkerCounters: Sendable, Equatable {
    /// Deliveries being handled right now: callbacks running, plus reports being published and
    /// acknowledged (that part overlaps the next callback, so it can exceed the concurrency).
    public var inFlight = 0
    /// Tasks whose report was confirmed and whose delivery was acknowledged.
    public var processed = 0
    /// Reports of failed outcomes, plus tasks given back or dead-lettered because of an error.
    public var failures = 0
    /// Tasks stopped, or deliveries acked without running, because a control message cancelled them.
    public var cancelled = 0

    /// All zero.
    public init() {}
}
