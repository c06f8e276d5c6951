import DriverSupport
public import LazyRabbitCoordinator
public import LazyRabbitWorker
public import PostgresDriver
public import RabbitMQDriver
public import WorkflowDSL

/// How a distributed coordinator connects and paces itself. Every default suits a laptop cluster
/// started by `scripts/cluster`; servers come from the `LAZYRABBIT_*_URL` environment variables.
public struct CoordinatorConfiguration: Sendable {
    /// PostgreSQL (source of truth). Default: `LAZYRABBIT_DATABASE_URL` with a pool of 8.
    public var database: PostgresConfiguration
    /// RabbitMQ. Default: `LAZYRABBIT_AMQP_URL`.
    public var amqp: AMQPConfiguration
    /// Prefix of every exchange and queue name; must match the workers'. Default `lazyrabbit`.
    public var queueNamePrefix = "lazyrabbit"
    /// `x-delivery-limit` of task queues; must match the workers'. Default 5.
    public var deliveryLimit = 5
    /// Reports applied at once (the report consumer's prefetch). Default 256: applying one waits
    /// for a group commit, and commit batches fill only when many reports are in flight.
    public var reportPrefetch: UInt16 = 256
    /// How the outbox relay polls. Default: 100 rows; idle, it waits 20 ms to 1 s, until the
    /// earliest unpublished row comes due — this coordinator's timers fire within 20 ms of their
    /// time, rows other replicas committed are found at most 1 s late.
    public var relay: OutboxRelay.Configuration
    /// How long published outbox rows are kept and how often they are purged. Default: 1 hour, a pass a minute.
    public var outboxPurge = OutboxPurger.Configuration()
    /// A state task whose JSON is over this many bytes travels by reference through the payload
    /// store instead of in the message (docs/protocol.md, "Large payloads"); workers apply their own
    /// threshold to report outcomes. Default 256 KiB.
    public var payloadThreshold = PayloadOffload.defaultThreshold
    /// Limits and the callback address policy every submitted workflow must pass.
    public var validation = ValidationOptions()
    /// How many workflows, and scheduled workflows, each user may keep.
    public var quotas = UserQuotas()
    /// How many child executions one root may have, at every depth together (default 10 000).
    public var childExecutionLimit = ChildWorkflow.defaultTreeLimit

    /// The defaults, with servers from the environment.
    public init() throws {
        var database = try PostgresConfiguration(url: ServerSettings.databaseURL)
        database.poolSize = 8
        self.database = database
        amqp = .fromEnvironment()
        relay = OutboxRelay.Configuration()
        relay.idleDelay = .milliseconds(20)
    }

    /// The RabbitMQ names under ``queueNamePrefix``.
    public var topology: WorkerTopology { WorkerTopology(prefix: queueNamePrefix) }
}
