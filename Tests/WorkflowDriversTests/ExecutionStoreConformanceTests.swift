import Foundation
import Testing
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// One suite, every store: each test runs against each ``StoreKind``.
@Suite struct ExecutionStoreConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func createThenReadRoundTrips(kind: StoreKind) async throws {
        try await kind.withStore { store in
            var record = Fixtures.execution("e1")
            record.output = ["partial": .null]
            record.error = ["code": "E"]
            record.parentID = "parent"
            try await store.create(record, transitions: [])
            #expect(try await store.execution(id: "e1") == record)
            #expect(try await store.execution(id: "missing") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func createRefusesAnExistingID(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.create(Fixtures.execution("e1"), transitions: [])
            await #expect(throws: StoreError.duplicateExecution("e1")) {
                try await store.create(Fixtures.execution("e1"), transitions: [])
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func createStoresTheFirstTransitions(kind: StoreKind) async throws {
        try await kind.withStore { store in
            var record = Fixtures.execution("e1")
            record.sequence = 2
            let first = Fixtures.transitions("e1", from: 1, count: 2, kind: "started")
            try await store.create(record, transitions: first)
            #expect(try await store.transitions(executionID: "e1", afterSequence: 0) == first)
            #expect(try await store.commit(Fixtures.update("e1", expected: 2, count: 1)) == .applied)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func commitAppliesSnapshotStatusAndTransitions(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.create(Fixtures.execution("e1"), transitions: [])
            let first = Fixtures.update("e1", expected: 0, count: 2)
            #expect(try await store.commit(first) == .applied)
            let last = Fixtures.update("e1", expected: 2, count: 1, status: .completed)
            #expect(try await store.commit(last) == .applied)

            let stored = try #require(try await store.execution(id: "e1"))
            #expect(stored.sequence == 3)
            #expect(stored.status == .completed)
            #expect(stored.snapshot == last.snapshot)
            #expect(stored.output == ["done": true])
            #expect(stored.updatedAt == last.updatedAt)
            #expect(try await store.transitions(executionID: "e1", afterSequence: 0) == first.transitions + last.transitions)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func staleCommitIsAConflict(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.create(Fixtures.execution("e1"), transitions: [])
            _ = try await store.commit(Fixtures.update("e1", expected: 0, count: 2))
            await #expect(throws: StoreError.conflict(executionID: "e1", expected: 1, found: 2)) {
                try await store.commit(Fixtures.update("e1", expected: 1, count: 3))
            }
            await #expect(throws: StoreError.conflict(executionID: "e1", expected: 5, found: 2)) {
                try await store.commit(Fixtures.update("e1", expected: 5, count: 1))
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func commitToAMissingExecutionIsNotFound(kind: StoreKind) async throws {
        try await kind.withStore { store in
            await #expect(throws: StoreError.executionNotFound("nope")) {
                try await store.commit(Fixtures.update("nope", expected: 0, count: 1))
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func sameCommitTwiceIsADuplicateStoredOnce(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.create(Fixtures.execution("e1"), transitions: [])
            let update = Fixtures.update("e1", expected: 0, count: 3)
            #expect(try await store.commit(update) == .applied)
            #expect(try await store.commit(update) == .duplicate)
            let stored = try await store.transitions(executionID: "e1", afterSequence: 0)
            #expect(stored.map(\.sequence) == [1, 2, 3])
            #expect(try await store.execution(id: "e1")?.sequence == 3)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentDuplicateCommitsApplyOnce(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.create(Fixtures.execution("e1"), transitions: [])
            let update = Fixtures.update("e1", expected: 0, count: 3)
            let results = try await withThrowingTaskGroup(of: CommitResult.self) { group in
                for _ in 0..<20 { group.addTask { try await store.commit(update) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count(where: { $0 == .applied }) == 1)
            #expect(results.count(where: { $0 == .duplicate }) == 19)
            #expect(try await store.transitions(executionID: "e1", afterSequence: 0).map(\.sequence) == [1, 2, 3])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func racingWritersOnOneSequenceHaveOneWinner(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.create(Fixtures.execution("e1"), transitions: [])
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for writer in 0..<20 {
                    group.addTask {
                        let update = Fixtures.update("e1", expected: 0, count: 1 + writer % 3, tag: UInt8(writer))
                        do { return try await store.commit(update) == .applied } catch { return false }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.count(where: { $0 }) == 1)
            let stored = try #require(try await store.execution(id: "e1"))
            let sequences = try await store.transitions(executionID: "e1", afterSequence: 0).map(\.sequence)
            #expect(sequences == Array(1...stored.sequence))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func transitionsAfterASequence(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.create(Fixtures.execution("e1"), transitions: [])
            try await store.create(Fixtures.execution("e2"), transitions: [])
            _ = try await store.commit(Fixtures.update("e1", expected: 0, count: 5))
            _ = try await store.commit(Fixtures.update("e2", expected: 0, count: 2))
            #expect(try await store.transitions(executionID: "e1", afterSequence: 3).map(\.sequence) == [4, 5])
            #expect(try await store.transitions(executionID: "e1", afterSequence: 5).isEmpty)
            #expect(try await store.transitions(executionID: "e2", afterSequence: 0).count == 2)
            #expect(try await store.transitions(executionID: "none", afterSequence: 0).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func executionsNewestFirstFilteredAndLimited(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let statuses: [ExecutionStatus] = [.running, .completed, .failed, .running, .completed]
            for (index, status) in statuses.enumerated() {
                let record = Fixtures.execution("e\(index)", status: status, createdAt: 1_700_000_000_000 + Int64(index) * 1000)
                try await store.create(record, transitions: [])
            }
            #expect(try await store.executions(statuses: nil, limit: 10).map(\.id) == ["e4", "e3", "e2", "e1", "e0"])
            #expect(try await store.executions(statuses: nil, limit: 2).map(\.id) == ["e4", "e3"])
            #expect(try await store.executions(statuses: [.running], limit: 10).map(\.id) == ["e3", "e0"])
            #expect(try await store.executions(statuses: [.completed, .failed], limit: 10).map(\.id) == ["e4", "e2", "e1"])
            #expect(try await store.executions(statuses: [], limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func misnumberedTransitionsAreRefused(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.create(Fixtures.execution("e1"), transitions: [])
            var update = Fixtures.update("e1", expected: 0, count: 2)
            update.transitions[1].sequence = 7
            await #expect(throws: StoreError.self) { try await store.commit(update) }
            #expect(try await store.execution(id: "e1")?.sequence == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func staleFencingTokenIsRefusedAtWriteTime(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.create(Fixtures.execution("e1"), transitions: [])
            #expect(try await store.commit(Fixtures.update("e1", expected: 0, count: 1, fencingToken: 5)) == .applied)
            // A writer whose lock was taken over (older token) is refused even with the right sequence.
            await #expect(throws: StoreError.staleFencingToken(executionID: "e1", token: 4, current: 5)) {
                try await store.commit(Fixtures.update("e1", expected: 1, count: 1, fencingToken: 4))
            }
            // The same token, a newer one, and no token at all are accepted; the highest one is remembered.
            #expect(try await store.commit(Fixtures.update("e1", expected: 1, count: 1, fencingToken: 5)) == .applied)
            #expect(try await store.commit(Fixtures.update("e1", expected: 2, count: 1, fencingToken: 9)) == .applied)
            #expect(try await store.commit(Fixtures.update("e1", expected: 3, count: 1)) == .applied)
            await #expect(throws: StoreError.staleFencingToken(executionID: "e1", token: 5, current: 9)) {
                try await store.commit(Fixtures.update("e1", expected: 4, count: 1, fencingToken: 5))
            }
            #expect(try await store.execution(id: "e1")?.sequence == 4)
            #expect(try await store.transitions(executionID: "e1", afterSequence: 0).map(\.sequence) == [1, 2, 3, 4])
        }
    }
}
