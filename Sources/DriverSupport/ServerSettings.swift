import Foundation

/// Where the three servers are: `LAZYRABBIT_DATABASE_URL`, `LAZYRABBIT_AMQP_URL`, `LAZYRABBIT_REDIS_URL`
/// from the environment, else the defaults that `scripts/services up` sets up on loopback.
public enum ServerSettings {
    public static let defaultDatabaseURL = "postgres://lazyrabbit:lazyrabbit@127.0.0.1:5432/lazyrabbit"
    public static let defaultAMQPURL = "amqp://lazyrabbit:lazyrabbit@127.0.0.1:5672/%2F"
    public static let defaultRedisURL = "redis://127.0.0.1:6379/0"

    public static var databaseURL: String { value("LAZYRABBIT_DATABASE_URL", defaultDatabaseURL) }
    public static var amqpURL: String { value("LAZYRABBIT_AMQP_URL", defaultAMQPURL) }
    public static var redisURL: String { value("LAZYRABBIT_REDIS_URL", defaultRedisURL) }

    /// Hosts, IPs or CIDRs from `LAZYRABBIT_ALLOWED_HOSTS` (comma-separated) that `http` callbacks
    /// may reach although private or loopback.
    public static var allowedHostsFromEnvironment: [String] {
        (ProcessInfo.processInfo.environment["LAZYRABBIT_ALLOWED_HOSTS"] ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func value(_ name: String, _ fallback: String) -> String {
        let value = ProcessInfo.processInfo.environment[name] ?? ""
        return value.isEmpty ? fallback : value
    }
}
