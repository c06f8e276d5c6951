import Foundation
import SQLiteDriver
import Testing
import WorkflowDrivers
import WorkflowProtocol

/// Where an execution came from (owner, stored workflow, idempotency key, parent task) and the outbox on create.
extension ExecutionStoreConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func originsRoundTrip(kind: StoreKind) async throws {
        try await kind.withStores { store, repository in
            let workflow = try await repository.create(owner: "ada", name: "orders", source: "name: orders\n", at: Fixtures.date(1_700_000_000_000))
            var record = Fixtures.execution("e1")
            record.owner = "ada"
            record.workflowID = workflow.workflowID
            record.workflowVersion = 1
            record.idempotencyKey = "key-1"
            record.parentID = "parent"
            record.parentTaskID = "parent-task-3"
            try await store.create(record, transitions: [])
            #expect(try await store.execution(id: "e1") == record)
            #expect(try await store.execution(owner: "ada", idempotencyKey: "key-1") == record)

            let plain = Fixtures.execution("e2")
            try await store.create(plain, transitions: [])
            #expect(try await store.execution(id: "e2") == plain, "every origin is optional")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentCreatesAreEachAnsweredForThemselves(kind: StoreKind) async throws {
        try await kind.withStore { store in
            // Sixteen creates at once (the PostgreSQL store sends them together): eight distinct
            // executions, and eight that share one owner's idempotency key.
            let outcomes = await withTaskGroup(of: (String, StoreError?).self, returning: [String: StoreError?].self) { group in
                for index in 0..<16 {
                    group.addTask {
                        var record = Fixtures.execution("c\(index)")
                        if index >= 8 {
                            record.owner = "ada"
                            record.idempotencyKey = "same"
                        }
                        do {
                            try await store.create(record, transitions: [])
                            return (record.id, nil)
                        } catch {
                            return (record.id, error as? StoreError ?? .backend("\(error)"))
                        }
                    }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            for index in 0..<8 {
                #expect(outcomes["c\(index)"] == .some(nil), "c\(index) has its own id and no key")
                #expect(try await store.execution(id: "c\(index)") != nil)
            }
            let winner = try #require(try await store.execution(owner: "ada", idempotencyKey: "same")).id
            for index in 8..<16 where "c\(index)" != winner {
                #expect(outcomes["c\(index)"] == .some(StoreError.duplicateIdempotencyKey(existingID: winner)))
                #expect(try await store.execution(id: "c\(index)") == nil, "a refused create stores nothing")
            }
            #expect(outcomes[winner] == .some(nil))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anIdempotencyKeyIsUniquePerOwner(kind: StoreKind) async throws {
        try await kind.withStore { store in
            func execution(_ id: String, owner: String?, key: String) -> ExecutionRecord {
                var record = Fixtures.execution(id)
                record.owner = owner
                record.idempotencyKey = key
                return record
            }
            try await store.create(execution("e1", owner: "ada", key: "k"), transitions: [])
            await #expect(throws: StoreError.duplicateIdempotencyKey(existingID: "e1")) {
                try await store.create(execution("e2", owner: "ada", key: "k"), transitions: [])
            }
            #expect(try await store.execution(id: "e2") == nil, "a refused create stores nothing")
            try await store.create(execution("e3", owner: "bob", key: "k"), transitions: [])
            try await store.create(execution("e4", owner: nil, key: "k"), transitions: [])
            await #expect(throws: StoreError.duplicateIdempotencyKey(existingID: "e4")) {
                try await store.create(execution("e5", owner: nil, key: "k"), transitions: [])
            }
            try await store.create(execution("e6", owner: "ada", key: "other"), transitions: [])
            await #expect(throws: StoreError.duplicateExecution("e1")) {
                try await store.create(execution("e1", owner: "ada", key: "fresh"), transitions: [])
            }

            #expect(try await store.execution(owner: "ada", idempotencyKey: "k")?.id == "e1")
            #expect(try await store.execution(owner: "bob", idempotencyKey: "k")?.id == "e3")
            #expect(try await store.execution(owner: nil, idempotencyKey: "k")?.id == "e4")
            #expect(try await store.execution(owner: "ada", idempotencyKey: "other")?.id == "e6")
            #expect(try await store.execution(owner: "carol", idempotencyKey: "k") == nil, "an unknown owner has used no key")
            #expect(try await store.execution(owner: "ada", idempotencyKey: "unused") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func outboxOnCreate(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let message = OutboxMessage(messageID: "m1", topic: "tasks", routingKey: "orders.a", payload: Data("go".utf8), headers: ["h": "v"])
            switch store {
            case let memory as InMemoryExecutionStore:
                try await memory.create(Fixtures.execution("e1"), transitions: [], outbox: [message])
                #expect(memory.stagedMessages == [message])
                await #expect(throws: StoreError.duplicateExecution("e1")) {
                    try await memory.create(Fixtures.execution("e1"), transitions: [], outbox: [message])
                }
                let update = Fixtures.update("e1", expected: 0, count: 1)
                let second = OutboxMessage(messageID: "m2", topic: "tasks", routingKey: "orders.b", payload: Data())
                #expect(try await memory.commit(update, outbox: [second]) == .applied)
                #expect(try await memory.commit(update, outbox: [second]) == .duplicate)
                #expect(memory.stagedMessages == [message, second], "refused creates and duplicate commits stage nothing")
                #expect(try await memory.commit(update, outbox: [], withdrawing: ["m1"]) == .duplicate)
                #expect(memory.stagedMessages == [message, second], "a duplicate commit withdraws nothing")
                #expect(try await memory.commit(Fixtures.update("e1", expected: 1, count: 1), outbox: [], withdrawing: ["m1"]) == .applied)
                #expect(memory.stagedMessages == [second], "an applied commit withdraws")
            case is SQLiteExecutionStore:
                await #expect(throws: StoreError.outboxUnsupported) {
                    try await store.create(Fixtures.execution("e1"), transitions: [], outbox: [message])
                }
                #expect(try await store.execution(id: "e1") == nil)
                try await store.create(Fixtures.execution("e1"), transitions: [], outbox: [])
                await #expect(throws: StoreError.outboxUnsupported) {
                    try await store.commit(Fixtures.update("e1", expected: 0, count: 1), outbox: [message])
                }
                await #expect(throws: StoreError.outboxUnsupported) {
                    try await store.commit(Fixtures.update("e1", expected: 0, count: 1), outbox: [], withdrawing: ["m1"])
                }
                #expect(try await store.execution(id: "e1")?.sequence == 0)
            default:
                // PostgreSQL: the rows, their atomicity and `notBefore` are checked in PostgresDriverTests.
                try await store.create(Fixtures.execution("e1"), transitions: [], outbox: [message])
                #expect(try await store.execution(id: "e1") != nil)
            }
        }
    }
}

/// Trees of child workflows: children are counted against their root at every depth, once each.
extension ExecutionStoreConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func childrenAreCountedAgainstTheirRoot(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            #expect(try await store.admitChild("c1", of: "root", limit: 2))
            #expect(try await store.admitChild("c1.c2", of: "c1", limit: 2), "a grandchild counts against the root")
            #expect(try await store.admitChild("c3", of: "root", limit: 2) == false, "the root's tree is full")
            #expect(try await store.admitChild("c1.c2.c4", of: "c1.c2", limit: 2) == false, "full at every depth")
            #expect(try await store.admitChild("c1", of: "root", limit: 2), "a child admitted before is admitted again")
            #expect(try await store.admitChild("c3", of: "root", limit: 3), "a refused child was not recorded")
            #expect(try await store.admitChild("d1", of: "other", limit: 1), "each root has its own count")
            #expect(try await store.admitChild("e1", of: "third", limit: 0) == false)
        }
    }
}
