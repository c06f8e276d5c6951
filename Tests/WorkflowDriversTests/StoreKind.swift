import Foundation
import PostgresDriver
import SQLiteDriver
import Testing
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// The stores the conformance suite runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case memory
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh, empty store of this kind (SQLite: a new WAL file in a temporary
    /// directory; PostgreSQL: a new migrated database on `LAZYRABBIT_DATABASE_URL`, dropped afterwards).
    func withStore(_ body: (any ExecutionStore) async throws -> Void) async throws {
        try await withStores { store, _ in try await body(store) }
    }

    /// Runs `body` with a fresh, empty workflow repository of this kind.
    func withRepository(_ body: (any WorkflowRepository) async throws -> Void) async throws {
        try await withStores { _, repository in try await body(repository) }
    }

    /// Runs `body` with an execution store and a workflow repository of this kind over one
    /// database (SQLite: one file; PostgreSQL: one scratch database), so executions can name workflows.
    func withStores(_ body: (any ExecutionStore, any WorkflowRepository) async throws -> Void) async throws {
        switch self {
        case .memory: try await body(InMemoryExecutionStore(), InMemoryWorkflowRepository())
        case .sqlite:
            let path = Fixtures.temporaryDatabasePath()
            try await body(SQLiteExecutionStore(path: path), SQLiteWorkflowRepository(path: path))
        case .postgres:
            try await PostgresScratchDatabase.with(configuration: .fromEnvironment()) { pool in
                try await body(PostgresExecutionStore(pool: pool), PostgresWorkflowRepository(pool: pool))
            }
        }
    }
}

extension StoreKind {
    /// Runs `body` with a fresh, empty API token store of this kind.
    func withTokenStore(_ body: (any APITokenStore) async throws -> Void) async throws {
        switch self {
        case .memory: try await body(InMemoryAPITokenStore())
        case .sqlite: try await body(SQLiteAPITokenStore(path: Fixtures.temporaryDatabasePath()))
        case .postgres:
            try await PostgresScratchDatabase.with(configuration: .fromEnvironment()) { pool in
                try await body(PostgresAPITokenStore(pool: pool))
            }
        }
    }
}

/// Records for the tests. Dates are whole milliseconds, the precision every store keeps.
enum Fixtures {
    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    static func temporaryDatabasePath() -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lr-store-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("executions.sqlite").path
    }

    static func execution(_ id: String, status: ExecutionStatus = .running, createdAt: Int64 = 1_700_000_000_123) -> ExecutionRecord {
        ExecutionRecord(
            id: id, workflowName: "orders", definitionSource: "name: orders\n", status: status, sequence: 0,
            snapshot: ExecutionSnapshot(Data([1, 2, 3])), input: ["order": 42, "items": ["a", "b"]], parentID: nil,
            createdAt: date(createdAt), updatedAt: date(createdAt))
    }

    static func transitions(_ id: String, from first: Int, count: Int, kind: String = "state_entered") -> [TransitionRecord] {
        (first..<(first + count)).map { sequence in
            TransitionRecord(
                executionID: id, sequence: sequence, thread: "main", fromState: "S\(sequence - 1)", toState: "S\(sequence)",
                kind: kind, at: date(1_700_000_001_000 + Int64(sequence)), details: ["attempt": 1])
        }
    }

    static func update(
        _ id: String, expected: Int, count: Int, status: ExecutionStatus = .running, tag: UInt8 = 0, fencingToken: Int64? = nil
    ) -> ExecutionUpdate {
        ExecutionUpdate(
            executionID: id, expectedSequence: expected, status: status, snapshot: ExecutionSnapshot(Data([tag, UInt8(expected + count)])),
            transitions: transitions(id, from: expected + 1, count: count), output: status == .completed ? ["done": true] : nil,
            updatedAt: date(1_700_000_002_000 + Int64(expected)), fencingToken: fencingToken)
    }
}
