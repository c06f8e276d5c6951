/// A SQL statement and its bind parameters, built so that values never enter the SQL text:
/// each `\(bind: value)` becomes a `$n` placeholder and a ``PostgresValue``.
///
/// ```swift
/// let query: PostgresQuery = "SELECT status FROM workflow_executions WHERE id = \(bind: id)"
/// let rows = try await connection.query(query.named("execution_status"))
/// ```
///
/// The connection prepares each distinct SQL text once (`PQprepare`) and executes it by name.
public struct PostgresQuery: Sendable, Equatable, ExpressibleByStringInterpolation {
    /// The SQL text with `$1 … $n` placeholders.
    public var sql: String
    /// The parameters, in placeholder order.
    public var binds: [PostgresValue]
    /// A short name for errors and logs (defaults to the first words of the SQL).
    public var name: String?

    /// A statement with explicit parameters for `$1 … $n`.
    public init(sql: String, binds: [PostgresValue] = [], name: String? = nil) {
        self.sql = sql
        self.binds = binds
        self.name = name
    }

    public init(stringLiteral value: String) {
        self.init(sql: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(sql: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    /// The same query with a name for errors.
    public func named(_ name: String) -> PostgresQuery {
        var copy = self
        copy.name = name
        return copy
    }

    /// The name used in errors: ``name``, else the SQL's first 40 characters.
    var label: String { name ?? String(sql.prefix(40)) }

    /// Builds the SQL text and its binds.
    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [PostgresValue] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Appends a `$n` placeholder bound to `value`.
        public mutating func appendInterpolation(bind value: some PostgresEncodable) {
            appendBind(value.postgresValue)
        }

        /// Appends a `$n` placeholder bound to `value`, or to `NULL`.
        public mutating func appendInterpolation(bind value: (some PostgresEncodable)?) {
            appendBind(value?.postgresValue ?? .null)
        }

        private mutating func appendBind(_ value: PostgresValue) {
            binds.append(value)
            sql += "$\(binds.count)"
        }

        /// Appends SQL text as is: only for fixed fragments of the program's own SQL (a column
        /// list), never for values.
        public mutating func appendInterpolation(trustedSQL fragment: String) {
            sql += fragment
        }
    }
}
