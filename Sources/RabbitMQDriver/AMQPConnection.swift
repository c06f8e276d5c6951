import CRabbitMQ
import DriverSupport

/// One AMQP connection on its own OS thread (a ``ThreadExecutor``): every blocking librabbitmq
/// call runs there, never on Swift's cooperative pool, and the C handle never leaves the actor.
///
/// The connection uses one channel. It remembers the topology it declared; when the broker
/// closes the connection or restarts, the next operation reconnects with ``ReconnectBackoff``
/// (up to ``AMQPConfiguration/reconnectTimeout``), redeclares that topology and restores confirm
/// mode and the consumer, if any. Publishers and consumers use separate connections
/// (``AMQPPublisher``, ``AMQPConsumer``).
///
/// ```swift
/// let connection = try await AMQPConnection.connect(.fromEnvironment())
/// let orders = try await connection.declareWorkQueue("orders", deliveryLimit: 5)
/// let stats = try await connection.stats(ofQueue: orders.name)
/// ```
public actor AMQPConnection {
    private nonisolated let executor: ThreadExecutor
    /// Runs the actor on its own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The settings this connection was made with.
    public nonisolated let configuration: AMQPConfiguration
    private let endpoint: ConnectionURL
    static let channel: amqp_channel_t = 1

    var handle: CConnection?
    var channelOpen = false
    private var reconnecting: Task<Void, any Error>?
    private var closed = false
    /// Incremented each time the channel is (re)opened: delivery and confirm tags belong to one incarnation.
    private(set) var generation: UInt64 = 0
    /// How many times the connection was re-established after a failure (for tests and logs).
    public private(set) var reconnects = 0

    /// What to replay after a reconnect, in declaration order.
    var topology: [TopologyDeclaration] = []
    /// Publisher connections put their channel in confirm mode.
    let confirms: Bool
    /// Next publish sequence number on the current channel (confirm mode).
    var nextPublishTag: UInt64 = 1
    /// The consumer this connection runs, if any.
    var subscription: Subscription?
    /// Tags delivered and not yet settled on the current channel.
    var unacked: Set<UInt64> = []
    /// Redeliveries seen per message id on queues that do not count them (classic).
    var localRedeliveries: [String: Int] = [:]
    /// Acks announce themselves here so a consumer's wait ends for them.
    nonisolated let settleSignal = SettleSignal()

    init(configuration: AMQPConfiguration, confirms: Bool) throws(AMQPError) {
        self.configuration = configuration
        self.endpoint = try configuration.endpoint()
        self.confirms = confirms
        self.executor = ThreadExecutor(name: "lazyrabbit.amqp")
    }

    deinit {
        executor.shutdown()
    }

    /// Connects (one attempt: a wrong URL or password fails at once) and opens the channel.
    ///
    /// - Throws: ``AMQPError``.
    public static func connect(_ configuration: AMQPConfiguration) async throws -> AMQPConnection {
        let connection = try AMQPConnection(configuration: configuration, confirms: false)
        try await connection.start()
        return connection
    }

    func start() throws(AMQPError) {
        try establish()
    }

    /// Cancels the consumer if there is one (basic.cancel first: rabbitmq-server#10327), then
    /// closes the channel and the connection. Later calls fail with ``AMQPError/Code/closed``.
    public func close() {
        guard !closed else { return }
        if let handle, !handle.broken, channelOpen {
            cancelConsumer(on: handle)
            amqp_channel_close(handle.state, Self.channel, AMQP_REPLY_SUCCESS)
        }
        handle?.close()
        handle = nil
        channelOpen = false
        closed = true
    }

    /// The live handle with an open channel: reopens a channel the broker closed, reconnects a
    /// broken connection.
    func ready() async throws -> CConnection {
        guard !closed else { throw AMQPError(.closed, "connection to \(endpoint) was closed") }
        if let handle, !handle.broken {
            if channelOpen { return handle }
            do throws(AMQPError) {
                try setUpChannel(on: handle, consume: true)
                return handle
            } catch {
                // A channel refused again is the caller's problem; a broken connection is replaced below.
                if !error.breaksConnection { throw error }
            }
        }
        try await reconnect()
        guard let handle, !handle.broken else { throw AMQPError(.connectionLost, "reconnect to \(endpoint) did not stick") }
        return handle
    }

    /// Records a failure seen by an operation: a closed channel is reopened next time, a broken connection replaced.
    func note(_ error: AMQPError) {
        if error.code == .channelClosed || error.breaksConnection { channelOpen = false }
        if error.breaksConnection { handle?.markBroken() }
    }

    private func reconnect() async throws {
        if let reconnecting { return try await reconnecting.value }
        let task = Task { try await self.reconnectLoop() }
        reconnecting = task
        defer { reconnecting = nil }
        try await task.value
    }

    private func reconnectLoop() async throws {
        handle = nil
        channelOpen = false
        var backoff = ReconnectBackoff(initial: configuration.reconnectInitialDelay, maximum: configuration.reconnectMaximumDelay)
        let deadline = ContinuousClock.now + configuration.reconnectTimeout
        while true {
            do {
                try establish()
                reconnects += 1
                return
            } catch {
                handle = nil
                guard ContinuousClock.now < deadline else {
                    throw AMQPError(.reconnectTimedOut, "reconnect to \(endpoint) for \(configuration.reconnectTimeout): \(error)")
                }
            }
            try await Task.sleep(for: backoff.next())
        }
    }

    /// Connects, opens the channel, replays the topology, then restores the consumer.
    private func establish() throws(AMQPError) {
        let connection = try CConnection(endpoint: endpoint, heartbeat: configuration.heartbeat, timeout: configuration.operationTimeout)
        handle = connection
        try setUpChannel(on: connection, consume: false)
        for declaration in topology { try apply(declaration, on: connection) }
        try startConsumer(on: connection)
    }

    /// Opens the channel and restores its modes: confirms for publishers, prefetch (and, when
    /// `consume`, the consumer itself) for consumers.
    private func setUpChannel(on connection: CConnection, consume: Bool) throws(AMQPError) {
        try connection.openChannel(Self.channel)
        channelOpen = true
        generation += 1
        unacked.removeAll()
        nextPublishTag = 1
        subscription?.tag = nil
        if confirms {
            amqp_confirm_select(connection.state, Self.channel)
            try connection.checkReply("confirm.select", channel: Self.channel)
        }
        if consume { try startConsumer(on: connection) }
    }
}
