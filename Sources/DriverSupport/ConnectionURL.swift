import Foundation

/// The parts of a server URL (`postgres://user:pass@host:5432/db`, `amqp://…/%2F`, `redis://host:6379/0`).
public struct ConnectionURL: Sendable, Equatable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    /// The path without its leading `/`, percent-decoded (database name, vhost, Redis db number).
    public var path: String
    /// Query parameters (`?sslmode=disable`).
    public var query: [String: String]

    /// Parses `text`; `defaultPort` applies when the URL names none.
    ///
    /// - Throws: ``ConnectionURLError`` naming what is wrong.
    public init(_ text: String, defaultPort: Int) throws(ConnectionURLError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme else {
            throw ConnectionURLError(url: Self.redacted(text), reason: "not a URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConnectionURLError(url: Self.redacted(text), reason: "no host")
        }
        self.scheme = scheme
        self.host = host
        self.port = components.port ?? defaultPort
        self.user = components.user.flatMap { $0.removingPercentEncoding }
        self.password = components.password.flatMap { $0.removingPercentEncoding }
        let rawPath = components.percentEncodedPath.hasPrefix("/") ? String(components.percentEncodedPath.dropFirst()) : components.percentEncodedPath
        self.path = rawPath.removingPercentEncoding ?? rawPath
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        self.query = query
    }

    /// The URL with its password hidden, for logs and errors.
    public var description: String {
        "\(scheme)://\(user.map { "\($0)\(password == nil ? "" : ":***")@" } ?? "")\(host):\(port)/\(path)"
    }

    private static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}

/// A connection URL that cannot be used.
public struct ConnectionURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var url: String
    public var reason: String
    public var description: String { "invalid connection URL \(url): \(reason)" }
}
