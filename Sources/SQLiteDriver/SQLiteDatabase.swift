import Foundation
import GRDB
import WorkflowDrivers

/// Opening, migrating and error mapping shared by the SQLite stores. ``SQLiteExecutionStore`` and
/// ``SQLiteWorkflowRepository`` may open the same file: each migrates it with ``SQLiteSchema/migrator``
/// (a no-op when the other got there first) and SQLite serializes their writers.
enum SQLiteDatabase {
    /// A WAL-mode pool on the file at `path` (created if needed), migrated.
    static func open(path: String, configuration: SQLiteExecutionStore.Configuration) throws -> any DatabaseWriter {
        let pool = try backendErrors { try DatabasePool(path: path, configuration: grdbConfiguration(configuration)) }
        try migrate(pool)
        return pool
    }

    /// A private in-memory database, migrated (tests).
    static func inMemory() throws -> any DatabaseWriter {
        let queue = try backendErrors { try DatabaseQueue(configuration: grdbConfiguration(SQLiteExecutionStore.Configuration())) }
        try migrate(queue)
        return queue
    }

    private static func migrate(_ writer: any DatabaseWriter) throws {
        try backendErrors { try SQLiteSchema.migrator.migrate(writer) }
    }

    private static func grdbConfiguration(_ configuration: SQLiteExecutionStore.Configuration) -> GRDB.Configuration {
        var config = GRDB.Configuration()
        config.busyMode = .timeout(configuration.busyTimeout / .seconds(1))
        let synchronous = configuration.synchronousFull ? "FULL" : "NORMAL"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        }
        return config
    }

    /// A date as stored: integer milliseconds since 1970.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// A stored date.
    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// Runs `body`, turning SQLite errors into ``StoreError/backend(_:)``.
    static func backendErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError { throw StoreError.backend("SQLite: \(error)") }
    }
}

extension DatabaseWriter {
    /// A write transaction whose SQLite errors become ``StoreError/backend(_:)``.
    func storeWrite<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await write(body) } catch let error as DatabaseError { throw StoreError.backend("SQLite: \(error)") }
    }

    /// A read whose SQLite errors become ``StoreError/backend(_:)``.
    func storeRead<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await read(body) } catch let error as DatabaseError { throw StoreError.backend("SQLite: \(error)") }
    }
}
