import Foundation
import DriverSupport

/// How to reach PostgreSQL and how hard to try. Built from a `postgres://` URL; the defaults
/// match `scripts/services up`.
///
/// ```swift
/// var configuration = try PostgresConfiguration(url: "postgres://lazyrabbit:lazyrabbit@127.0.0.1:5432/lazyrabbit")
/// configuration.poolSize = 8
/// ```
public struct PostgresConfiguration: Sendable {
    /// The server's host name or address.
    public var host: String
    /// The server's port (5432 unless the URL names another).
    public var port: Int
    /// The role to log in as.
    public var user: String?
    /// The role's password.
    public var password: String?
    /// The database (the URL's path; the user name when the path is empty).
    public var database: String
    /// Extra libpq keywords from the URL's query (`?sslmode=disable`).
    public var options: [String: String]
    /// Connections in a ``PostgresPool``. Default 4.
    public var poolSize = 4
    /// Seconds libpq waits for one connection attempt. Default 5.
    public var connectTimeoutSeconds = 5
    /// How long an operation keeps trying to reconnect (with backoff) before it fails, e.g. while
    /// the server restarts. Default 30 s.
    public var reconnectWindow: Duration = .seconds(30)
    /// Attempts of a transaction that failed only because the connection broke before `COMMIT` was sent. Default 5.
    public var transactionAttempts = 5

    /// Parses a `postgres://user:password@host:port/database?option=value` URL.
    ///
    /// - Throws: ``PostgresError`` when the URL cannot be used.
    public init(url: String) throws(PostgresError) {
        let parsed: ConnectionURL
        do { parsed = try ConnectionURL(url, defaultPort: 5432) } catch { throw PostgresError(code: "08001", message: error.description) }
        guard ["postgres", "postgresql"].contains(parsed.scheme) else {
            throw PostgresError(code: "08001", message: "not a postgres:// URL: \(parsed)")
        }
        host = parsed.host
        port = parsed.port
        user = parsed.user
        password = parsed.password
        database = parsed.path.isEmpty ? (parsed.user ?? "postgres") : parsed.path
        options = parsed.query
    }

    /// `LAZYRABBIT_DATABASE_URL`, else the local default `postgres://lazyrabbit:lazyrabbit@127.0.0.1:5432/lazyrabbit`.
    public static func fromEnvironment() throws(PostgresError) -> PostgresConfiguration {
        try PostgresConfiguration(url: ServerSettings.databaseURL)
    }

    /// The same server and credentials, another database.
    public func database(_ name: String) -> PostgresConfiguration {
        var copy = self
        copy.database = name
        return copy
    }

    /// The `postgres://` URL of this configuration (user and password percent-encoded, options as
    /// the query), for handing the same database to another process (`LAZYRABBIT_DATABASE_URL`).
    public var url: String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        var credentials = ""
        if let user {
            credentials = encoded(user) + (password.map { ":" + encoded($0) } ?? "") + "@"
        }
        let host = self.host.contains(":") && !self.host.hasPrefix("[") ? "[\(self.host)]" : self.host
        let query = options.sorted { $0.key < $1.key }.map { "\(encoded($0.key))=\(encoded($0.value))" }.joined(separator: "&")
        return "postgres://\(credentials)\(host):\(port)/\(encoded(database))" + (query.isEmpty ? "" : "?" + query)
    }

    /// The libpq keywords; every session runs in UTC with ISO dates, which row decoding relies on.
    var connectionParameters: [(String, String)] {
        var parameters: [(String, String)] = [
            ("host", host), ("port", String(port)), ("dbname", database), ("connect_timeout", String(connectTimeoutSeconds)),
            ("application_name", "lazyrabbit"), ("client_encoding", "UTF8"), ("options", "-c TimeZone=UTC -c DateStyle=ISO,YMD"),
        ]
        if let user { parameters.append(("user", user)) }
        if let password { parameters.append(("password", password)) }
        parameters += options.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return parameters
    }
}
