/// The one error type of the PostgreSQL driver: a server error with its SQLSTATE, or a client-side
/// failure (connection lost, a value that does not decode) given an SQLSTATE-style code.
///
/// ```swift
/// do { try await connection.execute("INSERT …") }
/// catch let error as PostgresError where error.code == PostgresError.uniqueViolation { … }
/// ```
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The five-character SQLSTATE (`23505`, `40P01`, `08006`, …).
    public var code: String
    /// The primary message.
    public var message: String
    /// The server's detail line, if any.
    public var detail: String?
    /// The name of the query that failed (``PostgresQuery/name``), if known.
    public var query: String?

    /// Creates an error.
    public init(code: String, message: String, detail: String? = nil, query: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
        self.query = query
    }

    /// `23505`: a unique constraint refused a row.
    public static let uniqueViolation = "23505"
    /// `08006`: the connection broke (also used for a server that cannot be reached).
    public static let connectionFailure = "08006"
    /// `08007`: the connection broke while `COMMIT` was in flight: the transaction may or may not have committed.
    public static let transactionResolutionUnknown = "08007"
    /// `22000`: a value could not be converted (client side).
    public static let dataException = "22000"

    /// `true` when the failure is the connection's, not the statement's: class 08, or the server
    /// shutting down (`57P01`–`57P03`). The same statement may succeed on a new connection.
    public var isConnectionFailure: Bool {
        code.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(code)
    }

    public var description: String {
        var text = "PostgreSQL \(code): \(message)"
        if let detail { text += " (\(detail))" }
        if let query { text += " [query \(query)]" }
        return text
    }

    static func connectionLost(_ message: String, query: String? = nil) -> PostgresError {
        PostgresError(code: connectionFailure, message: message, query: query)
    }

    static func decoding(_ message: String) -> PostgresError {
        PostgresError(code: dataException, message: message)
    }
}
