import GRDB
import WorkflowDrivers

/// What the SQLite stores share: opening a file (WAL mode, the configured synchronous level and
/// busy timeout) and turning GRDB's errors into ``StoreError/backend(_:)``.
enum SQLiteFile {
    /// Opens (creating if needed) the database file at `path` in WAL mode.
    static func open(path: String, configuration: SQLiteExecutionStore.Configuration) throws -> any DatabaseWriter {
        try storeErrors { try DatabasePool(path: path, configuration: grdbConfiguration(configuration)) }
    }

    /// A private in-memory database, gone when the writer is released.
    static func inMemory() throws -> any DatabaseWriter {
        try storeErrors { try DatabaseQueue(configuration: grdbConfiguration(SQLiteExecutionStore.Configuration())) }
    }

    static func write<T: Sendable>(_ writer: any DatabaseWriter, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await writer.write(body) } catch let error as DatabaseError { throw StoreError.backend("SQLite: \(error)") }
    }

    static func read<T: Sendable>(_ writer: any DatabaseWriter, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await writer.read(body) } catch let error as DatabaseError { throw StoreError.backend("SQLite: \(error)") }
    }

    static func storeErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError { throw StoreError.backend("SQLite: \(error)") }
    }

    private static func grdbConfiguration(_ configuration: SQLiteExecutionStore.Configuration) -> GRDB.Configuration {
        var config = GRDB.Configuration()
        let seconds = configuration.busyTimeout.components
        config.busyMode = .timeout(Double(seconds.seconds) + Double(seconds.attoseconds) / 1e18)
        let synchronous = configuration.synchronousFull ? "FULL" : "NORMAL"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        }
        return config
    }
}
