import Foundation
import Testing
import WorkflowDrivers

/// One suite, every workflow repository: each test runs against each ``StoreKind``.
@Suite struct WorkflowRepositoryConformanceTests {
    static let first = Fixtures.date(1_700_000_000_000)

    @Test(arguments: StoreKind.allCases)
    func createStoresVersionOne(kind: StoreKind) async throws {
        try await kind.withRepository { repository in
            let created = try await repository.create(owner: "ada", name: "orders", source: "name: orders\n", at: Self.first)
            #expect(created.version == 1)
            #expect(created.source == "name: orders\n")
            #expect(created.createdBy == "ada")
            #expect(created.createdAt == Self.first)
            let workflow = try #require(try await repository.workflow(id: created.workflowID))
            #expect(workflow == WorkflowRecord(
                id: created.workflowID, owner: "ada", name: "orders", latestVersion: 1, createdAt: Self.first, updatedAt: Self.first))
            #expect(try await repository.version(workflowID: created.workflowID, version: nil) == created)
            #expect(try await repository.version(workflowID: created.workflowID, version: 1) == created)
            #expect(try await repository.version(workflowID: created.workflowID, version: 2) == nil)
            #expect(try await repository.workflow(id: "987654") == nil)
            #expect(try await repository.workflow(id: "not-an-id") == nil)
            #expect(try await repository.version(workflowID: "not-an-id", version: nil) == nil)
            for alias in ["+\(created.workflowID)", "0\(created.workflowID)"] {
                #expect(try await repository.workflow(id: alias) == nil, "one workflow, one id: not `\(alias)`")
                #expect(try await repository.version(workflowID: alias, version: nil) == nil)
            }
        }
    }

    /// The scheduler's list: live workflows whose latest version declares a schedule, oldest first.
    @Test(arguments: StoreKind.allCases)
    func scheduledWorkflowsFollowTheLatestVersion(kind: StoreKind) async throws {
        try await kind.withRepository { repository in
            let nightly = try await repository.create(owner: "ada", name: "nightly", source: "s1", scheduled: true, at: Self.first)
            _ = try await repository.create(owner: "ada", name: "plain", source: "p1", at: Self.first)
            let hourly = try await repository.create(owner: "bob", name: "hourly", source: "h1", scheduled: true, at: Self.first)
            #expect(try await repository.scheduledWorkflows(limit: 10).map(\.id) == [nightly.workflowID, hourly.workflowID])
            #expect(try await repository.scheduledWorkflows(limit: 1).map(\.id) == [nightly.workflowID])

            _ = try await repository.addVersion(workflowID: nightly.workflowID, source: "s2", by: "ada", at: Self.first)
            #expect(try await repository.scheduledWorkflows(limit: 10).map(\.id) == [hourly.workflowID], "its latest version has none")
            _ = try await repository.addVersion(workflowID: nightly.workflowID, source: "s3", scheduled: true, by: "ada", at: Self.first)
            #expect(try await repository.delete(workflowID: hourly.workflowID, at: Self.first))
            #expect(try await repository.scheduledWorkflows(limit: 10).map(\.id) == [nightly.workflowID])
        }
    }

    /// What quotas count: one owner's live workflows, all or only the scheduled ones.
    @Test(arguments: StoreKind.allCases)
    func countsAnOwnersLiveWorkflows(kind: StoreKind) async throws {
        try await kind.withRepository { repository in
            #expect(try await repository.workflowCount(owner: "ada", scheduledOnly: false) == 0)
            let nightly = try await repository.create(owner: "ada", name: "nightly", source: "s1", scheduled: true, at: Self.first)
            let plain = try await repository.create(owner: "ada", name: "plain", source: "p1", at: Self.first)
            _ = try await repository.create(owner: "ada", name: "gone", source: "g1", scheduled: true, at: Self.first)
            _ = try await repository.create(owner: "bob", name: "hourly", source: "h1", scheduled: true, at: Self.first)
            let gone = try #require(try await repository.workflows(owner: "ada", limit: 1).first)
            #expect(try await repository.delete(workflowID: gone.id, at: Self.first))
            #expect(try await repository.workflowCount(owner: "ada", scheduledOnly: false) == 2)
            #expect(try await repository.workflowCount(owner: "ada", scheduledOnly: true) == 1)

            _ = try await repository.addVersion(workflowID: nightly.workflowID, source: "s2", by: "ada", at: Self.first)
            _ = try await repository.addVersion(workflowID: plain.workflowID, source: "p2", scheduled: true, by: "ada", at: Self.first)
            #expect(try await repository.workflowCount(owner: "ada", scheduledOnly: true) == 1, "the latest versions decide")
            #expect(try await repository.workflowCount(owner: "carol", scheduledOnly: false) == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aNameIsUniquePerOwnerUntilDeleted(kind: StoreKind) async throws {
        try await kind.withRepository { repository in
            let original = try await repository.create(owner: "ada", name: "orders", source: "v1", at: Self.first)
            await #expect(throws: StoreError.duplicateWorkflow(owner: "ada", name: "orders")) {
                try await repository.create(owner: "ada", name: "orders", source: "again", at: Self.first)
            }
            let bobs = try await repository.create(owner: "bob", name: "orders", source: "bob's", at: Self.first)
            #expect(bobs.workflowID != original.workflowID)

            #expect(try await repository.delete(workflowID: original.workflowID, at: Self.first.addingTimeInterval(1)))
            let replacement = try await repository.create(owner: "ada", name: "orders", source: "new", at: Self.first.addingTimeInterval(2))
            #expect(replacement.workflowID != original.workflowID, "a deleted workflow's id is not reused")
            #expect(replacement.version == 1)
            #expect(try await repository.version(workflowID: original.workflowID, version: 1)?.source == "v1")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func versionsIncrementAndStayImmutable(kind: StoreKind) async throws {
        try await kind.withRepository { repository in
            let v1 = try await repository.create(owner: "ada", name: "orders", source: "one", at: Self.first)
            let id = v1.workflowID
            let v2 = try #require(try await repository.addVersion(workflowID: id, source: "two", by: "bob", at: Self.first.addingTimeInterval(10)))
            let v3 = try #require(try await repository.addVersion(workflowID: id, source: "three", by: "ada", at: Self.first.addingTimeInterval(20)))
            #expect(v2.version == 2)
            #expect(v3.version == 3)
            #expect(v2 == WorkflowVersionRecord(workflowID: id, version: 2, source: "two", createdBy: "bob", createdAt: Self.first.addingTimeInterval(10)))

            #expect(try await repository.version(workflowID: id, version: 1) == v1, "an older version is untouched by newer ones")
            #expect(try await repository.version(workflowID: id, version: 2) == v2)
            #expect(try await repository.version(workflowID: id, version: nil) == v3)
            let workflow = try #require(try await repository.workflow(id: id))
            #expect(workflow.latestVersion == 3)
            #expect(workflow.owner == "ada", "adding a version does not change the owner")
            #expect(workflow.createdAt == Self.first)
            #expect(workflow.updatedAt == Self.first.addingTimeInterval(20))
            #expect(try await repository.addVersion(workflowID: "987654", source: "x", by: "ada", at: Self.first) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func listsNewestFirstByOwnerWithALimit(kind: StoreKind) async throws {
        try await kind.withRepository { repository in
            let a1 = try await repository.create(owner: "ada", name: "a1", source: "s", at: Self.first)
            let b1 = try await repository.create(owner: "bob", name: "b1", source: "s", at: Self.first.addingTimeInterval(1))
            let a2 = try await repository.create(owner: "ada", name: "a2", source: "s", at: Self.first.addingTimeInterval(2))
            let a3 = try await repository.create(owner: "ada", name: "a3", source: "s", at: Self.first.addingTimeInterval(2))
            // Newest first: the later id first.
            #expect(try await repository.workflows(owner: "ada", limit: 10).map(\.name) == ["a3", "a2", "a1"])
            #expect(try await repository.workflows(owner: "ada", limit: 2).map(\.id) == [a3.workflowID, a2.workflowID])
            #expect(try await repository.workflows(owner: nil, limit: 10).map(\.id) == [a3, a2, b1, a1].map(\.workflowID))
            #expect(try await repository.workflows(owner: "bob", limit: 10).map(\.name) == ["b1"])
            #expect(try await repository.workflows(owner: "nobody", limit: 10).isEmpty)
            #expect(try await repository.workflows(owner: nil, limit: 0).isEmpty)
            #expect(try await repository.workflows(owner: nil, before: a2.workflowID, limit: 10).map(\.id) == [b1, a1].map(\.workflowID))
            #expect(try await repository.workflows(owner: "ada", before: a2.workflowID, limit: 10).map(\.id) == [a1.workflowID])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func deleteHidesTheWorkflowButKeepsItsVersions(kind: StoreKind) async throws {
        try await kind.withRepository { repository in
            let v1 = try await repository.create(owner: "ada", name: "orders", source: "one", at: Self.first)
            let id = v1.workflowID
            let v2 = try #require(try await repository.addVersion(workflowID: id, source: "two", by: "ada", at: Self.first.addingTimeInterval(1)))
            let kept = try await repository.create(owner: "ada", name: "kept", source: "k", at: Self.first)

            #expect(try await repository.delete(workflowID: id, at: Self.first.addingTimeInterval(5)))
            #expect(try await repository.delete(workflowID: id, at: Self.first.addingTimeInterval(6)) == false, "already deleted")
            #expect(try await repository.delete(workflowID: "987654", at: Self.first) == false)
            #expect(try await repository.workflow(id: id) == nil)
            #expect(try await repository.workflows(owner: "ada", limit: 10).map(\.id) == [kept.workflowID])
            #expect(try await repository.workflows(owner: nil, limit: 10).map(\.id) == [kept.workflowID])
            #expect(try await repository.version(workflowID: id, version: 1) == v1, "executions that ran it can still read it")
            #expect(try await repository.version(workflowID: id, version: nil) == v2)
            #expect(try await repository.addVersion(workflowID: id, source: "three", by: "ada", at: Self.first) == nil)
        }
    }
}
