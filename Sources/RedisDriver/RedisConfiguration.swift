import DriverSupport

/// How to reach one Redis server. Build it from a URL (`redis://[user:password@]host:port/db`);
/// every other setting has a documented default.
///
/// ```swift
/// let configuration = try RedisConfiguration(url: ServerSettings.redisURL)
/// ```
public struct RedisConfiguration: Sendable {
    /// Host name or address.
    public var host: String
    /// TCP port; default 6379.
    public var port: Int
    /// ACL user for `AUTH user password` (Redis 6+); `nil` sends `AUTH password` when there is a password.
    public var user: String?
    /// Password for `AUTH`; `nil` skips `AUTH`.
    public var password: String?
    /// Database number selected after connecting (the URL path); default 0.
    public var database: Int
    /// Limit for establishing the TCP connection; default 2 s.
    public var connectTimeout: Duration = .seconds(2)
    /// Limit for each socket read or write; default 5 s. A timed-out connection is dropped.
    public var commandTimeout: Duration = .seconds(5)
    /// Extra connection attempts, spaced by ``ReconnectBackoff`` (100 ms doubling to 5 s), before
    /// a command fails with ``RedisError/Code/connectFailed``; default 4.
    public var reconnectAttempts: Int = 4

    /// Parses a `redis://` URL.
    ///
    /// - Throws: ``RedisError`` with code ``RedisError/Code/invalidURL``.
    public init(url: String) throws(RedisError) {
        let parsed: ConnectionURL
        do {
            parsed = try ConnectionURL(url, defaultPort: 6379)
        } catch {
            throw RedisError(.invalidURL, error.reason, context: error.url)
        }
        guard parsed.scheme == "redis" else {
            throw RedisError(.invalidURL, "scheme must be redis:// (TLS is not supported)", context: parsed.description)
        }
        guard let database = parsed.path.isEmpty ? 0 : Int(parsed.path), database >= 0 else {
            throw RedisError(.invalidURL, "the path must be a database number", context: parsed.description)
        }
        host = parsed.host
        port = parsed.port
        user = parsed.user.flatMap { $0.isEmpty ? nil : $0 }
        password = parsed.password
        self.database = database
        description = parsed.description
    }

    /// The configuration for `LAZYRABBIT_REDIS_URL`, or `redis://127.0.0.1:6379/0` when it is unset.
    public static func fromEnvironment() throws(RedisError) -> RedisConfiguration {
        try RedisConfiguration(url: ServerSettings.redisURL)
    }

    /// The URL with its password hidden, for logs and errors.
    public private(set) var description: String
}
