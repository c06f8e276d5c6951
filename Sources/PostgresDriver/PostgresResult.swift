/// The outcome of one statement: its rows (empty for commands) and the number of rows it affected.
public struct PostgresResult: Sendable {
    /// The rows returned.
    public var rows: [PostgresRow]
    /// The rows inserted, updated or deleted (`PQcmdTuples`), 0 when not applicable.
    public var affectedRows: Int
}
