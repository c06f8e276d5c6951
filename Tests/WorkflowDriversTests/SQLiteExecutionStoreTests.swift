import Foundation
import SQLiteDriver
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
