import Foundation

/// Settings of the coordinator's REST API. Every field has a documented default, so
/// `APIConfiguration()` serves on `0.0.0.0:8080` (or `LAZYRABBIT_HTTP_PORT`) with the limits below.
///
/// ```swift
/// var configuration = APIConfiguration()
/// configuration.limits.bodyBytes = 256 * 1024
/// configuration.rateLimit = .init(capacity: 20, refillPerSecond: 5)
/// ```
public struct APIConfiguration: Sendable {
    /// Where the server listens.
    public struct Server: Sendable {
        /// The address to bind. Default `0.0.0.0`.
        public var host: String
        /// The TCP port. Default: `LAZYRABBIT_HTTP_PORT` when set to a number, otherwise 8080.
        public var port: Int
        /// How long a connection may stay silent (no request, or a request never finished) before
        /// it is closed: idle sockets would otherwise be held until the process runs out of file
        /// descriptors. Streams are upgraded to WebSocket and keep themselves alive with pings.
        /// Default 30 s.
        public var idleTimeout: Duration

        /// A listening address; the port defaults to `LAZYRABBIT_HTTP_PORT` or 8080.
        public init(host: String = "0.0.0.0", port: Int? = nil, idleTimeout: Duration = .seconds(30)) {
            self.host = host
            self.port = port ?? Self.environmentPort() ?? 8080
            self.idleTimeout = idleTimeout
        }

        /// `LAZYRABBIT_HTTP_PORT` as a port number, when it is one.
        static func environmentPort() -> Int? {
            ProcessInfo.processInfo.environment["LAZYRABBIT_HTTP_PORT"].flatMap(Int.init).flatMap { (0...65535).contains($0) ? $0 : nil }
        }
    }

    /// Request size limits.
    public struct Limits: Sendable {
        /// The largest request body accepted, in bytes; larger ones answer 413. Default 1 MiB.
        public var bodyBytes: Int

        /// Limits; the body limit defaults to 1 MiB.
        public init(bodyBytes: Int = 1024 * 1024) {
            self.bodyBytes = bodyBytes
        }
    }

    /// The token bucket each principal's requests draw from (the in-memory limiter's policy;
    /// the Redis limiter carries its own).
    public struct RateLimit: Sendable, Equatable {
        /// The largest burst. Default 60 requests.
        public var capacity: Int
        /// The sustained rate, in requests per second. Default 20.
        public var refillPerSecond: Double

        /// A bucket of `capacity` refilled at `refillPerSecond`.
        public init(capacity: Int = 60, refillPerSecond: Double = 20) {
            self.capacity = capacity
            self.refillPerSecond = refillPerSecond
        }
    }

    /// The execution stream (`GET /v1/executions/{id}/stream`).
    public struct Stream: Sendable {
        /// How often a stream polls the store for new transitions when nothing wakes it. Default 200 ms.
        public var pollInterval: Duration
        /// How many streams one user (a token's subject) may hold open at once. Default 16.
        public var perUser: Int
        /// How many streams the process serves at once, for every user together. Default 256.
        public var total: Int

        /// Stream settings; polls every 200 ms, at most 16 streams per user and 256 in all by default.
        public init(pollInterval: Duration = .milliseconds(200), perUser: Int = 16, total: Int = 256) {
            self.pollInterval = pollInterval
            self.perUser = perUser
            self.total = total
        }
    }

    /// Readiness checks (`GET /readyz`).
    public struct Readiness: Sendable {
        /// How long one check may take before it counts as failed. Default 2 s.
        public var timeout: Duration

        /// Readiness settings; each check gets 2 s by default.
        public init(timeout: Duration = .seconds(2)) {
            self.timeout = timeout
        }
    }

    public var server: Server
    public var limits: Limits
    public var rateLimit: RateLimit
    public var stream: Stream
    public var readiness: Readiness

    /// A configuration; every part defaults as documented on it.
    public init(
        server: Server = Server(), limits: Limits = Limits(), rateLimit: RateLimit = RateLimit(), stream: Stream = Stream(),
        readiness: Readiness = Readiness()
    ) {
        self.server = server
        self.limits = limits
        self.rateLimit = rateLimit
        self.stream = stream
        self.readiness = readiness
    }
}
