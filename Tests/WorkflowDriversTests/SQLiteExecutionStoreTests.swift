import Foundation
import GRDB
@testable import SQLiteDriver
import Testing
import WorkflowDrivers
import WorkflowProtocol

/// What only the SQLite store promises: the data outlives the process that wrote it.
@Suite struct SQLiteExecutionStoreTests {
    @Test func dataSurvivesClosingAndReopeningTheFile() async throws {
        let path = Fixtures.temporaryDatabasePath()
        let update = Fixtures.update("e1", expected: 0, count: 3, status: .completed)
        do {
            let store = try SQLiteExecutionStore(path: path)
            try await store.create(Fixtures.execution("e1"), transitions: [])
            #expect(try await store.commit(update) == .applied)
            #expect(FileManager.default.fileExists(atPath: path + "-wal"), "the store runs in WAL mode")
        }
        let reopened = try SQLiteExecutionStore(path: path)
        let stored = try #require(try await reopened.execution(id: "e1"))
        #expect(stored.sequence == 3)
        #expect(stored.status == .completed)
        #expect(stored.snapshot == update.snapshot)
        #expect(try await reopened.transitions(executionID: "e1", afterSequence: 0) == update.transitions)
        #expect(try await reopened.commit(update) == .duplicate)
    }

    @Test func inMemoryVariantFollowsTheSameRules() async throws {
        let store = try SQLiteExecutionStore.inMemory()
        try await store.create(Fixtures.execution("e1"), transitions: [])
        #expect(try await store.commit(Fixtures.update("e1", expected: 0, count: 1)) == .applied)
        await #expect(throws: StoreError.conflict(executionID: "e1", expected: 0, found: 1)) {
            try await store.commit(Fixtures.update("e1", expected: 0, count: 2))
        }
    }
}

/// Upgrading a `lazyrabbit dev` database whose child executions were stored without an owner.
@Suite struct SQLiteOwnerlessChildrenTests {
    @Test func childrenStoredWithoutAnOwnerTakeTheirParentsOnUpgrade() async throws {
        let path = Fixtures.temporaryDatabasePath()
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteSchema.migrator.migrate(queue, upTo: "v8: workflows record whether their latest version declares a schedule")
            try await queue.write { db in
                for (id, owner, parent) in [
                    ("root", "ada", nil), ("child", nil, "root"), ("grandchild", nil, "child"), ("run", nil, nil), ("run-child", nil, "run"),
                ] as [(String, String?, String?)] {
                    try db.execute(
                        sql: """
                            INSERT INTO executions (id, workflow_name, definition_source, status, sequence, snapshot, input, parent_id,
                                                    created_at, updated_at, owner)
                            VALUES (?, 'w', 'name: w', 'RUNNING', 0, x'7B7D', '{}', ?, 0, 0, ?)
                            """,
                        arguments: [id, parent, owner])
                }
            }
        }
        let store = try SQLiteExecutionStore(path: path)
        #expect(try await store.execution(id: "child")?.owner == "ada")
        #expect(try await store.execution(id: "grandchild")?.owner == "ada")
        #expect(try await store.execution(id: "run")?.owner == nil, "a top-level run without an owner keeps none")
        #expect(try await store.execution(id: "run-child")?.owner == nil)
    }
}
