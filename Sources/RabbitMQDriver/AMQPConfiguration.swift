import DriverSupport

/// How to reach and talk to a RabbitMQ broker. Every value has a documented default.
public struct AMQPConfiguration: Sendable {
    /// `amqp://user:password@host:port/vhost` (the vhost is percent-encoded: `%2F` is `/`).
    public var url: String
    /// Heartbeat interval negotiated with the broker (default 10 s). A connection that receives
    /// nothing for two intervals is considered dead.
    public var heartbeat: Duration
    /// Timeout for TCP connect and for each synchronous AMQP method (default 10 s).
    public var operationTimeout: Duration
    /// How long one publish batch may wait for outstanding confirms before the connection is
    /// declared broken and the rest are reported unconfirmed (default 30 s).
    public var confirmTimeout: Duration
    /// First delay between reconnect attempts, doubled up to ``reconnectMaximumDelay`` (defaults 100 ms and 2 s).
    public var reconnectInitialDelay: Duration
    /// Longest delay between reconnect attempts.
    public var reconnectMaximumDelay: Duration
    /// After this long without a successful reconnect, operations fail with ``AMQPError/Code/reconnectTimedOut`` (default 60 s).
    public var reconnectTimeout: Duration

    /// Creates a configuration; see each property for its default.
    public init(
        url: String,
        heartbeat: Duration = .seconds(10),
        operationTimeout: Duration = .seconds(10),
        confirmTimeout: Duration = .seconds(30),
        reconnectInitialDelay: Duration = .milliseconds(100),
        reconnectMaximumDelay: Duration = .seconds(2),
        reconnectTimeout: Duration = .seconds(60)
    ) {
        self.url = url
        self.heartbeat = heartbeat
        self.operationTimeout = operationTimeout
        self.confirmTimeout = confirmTimeout
        self.reconnectInitialDelay = reconnectInitialDelay
        self.reconnectMaximumDelay = reconnectMaximumDelay
        self.reconnectTimeout = reconnectTimeout
    }

    /// The broker named by `LAZYRABBIT_AMQP_URL`, else `amqp://lazyrabbit:lazyrabbit@127.0.0.1:5672/%2F`.
    public static func fromEnvironment() -> AMQPConfiguration {
        AMQPConfiguration(url: ServerSettings.amqpURL)
    }

    /// The parsed URL; the vhost defaults to `/` when the path is empty.
    func endpoint() throws(AMQPError) -> ConnectionURL {
        var parsed: ConnectionURL
        do {
            parsed = try ConnectionURL(url, defaultPort: 5672)
        } catch {
            throw AMQPError(.invalidURL, error.description)
        }
        guard parsed.scheme == "amqp" else { throw AMQPError(.invalidURL, "\(parsed): only amqp:// is supported") }
        if parsed.path.isEmpty { parsed.path = "/" }
        return parsed
    }
}
