import Foundation
import Testing
import WorkflowDrivers
import WorkflowProtocol

/// ``ExecutionStore/executions(matching:)``: every filter, and cursors across pages.
extension ExecutionStoreConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func everyQueryFilter(kind: StoreKind) async throws {
        try await kind.withStores { store, repository in
            let orders = try await repository.create(owner: "ada", name: "orders", source: "name: orders\n", at: Fixtures.date(0)).workflowID
            let billing = try await repository.create(owner: "ada", name: "billing", source: "name: billing\n", at: Fixtures.date(0)).workflowID
            let rows: [(String?, String?, String, ExecutionStatus)] = [
                ("ada", orders, "orders", .running), ("bob", orders, "orders", .completed), ("ada", billing, "billing", .failed),
                (nil, nil, "orders", .running), ("ada", nil, "billing", .completed),
            ]
            for (index, (owner, workflowID, name, status)) in rows.enumerated() {
                var record = Fixtures.execution("q\(index)", status: status, createdAt: Self.time(index))
                record.owner = owner
                record.workflowID = workflowID
                record.workflowVersion = workflowID == nil ? nil : 1
                record.workflowName = name
                try await store.create(record, transitions: [])
            }
            func ids(_ query: ExecutionQuery) async throws -> [String] {
                try await store.executions(matching: query).executions.map(\.id)
            }
            #expect(try await ids(ExecutionQuery()) == ["q4", "q3", "q2", "q1", "q0"])
            #expect(try await ids(ExecutionQuery(owner: "ada")) == ["q4", "q2", "q0"])
            #expect(try await ids(ExecutionQuery(owner: "nobody")) == [])
            #expect(try await ids(ExecutionQuery(workflowID: orders)) == ["q1", "q0"])
            #expect(try await ids(ExecutionQuery(workflowID: "987654")) == [])
            #expect(try await ids(ExecutionQuery(workflowID: "not-a-workflow-id")) == [])
            #expect(try await ids(ExecutionQuery(workflowName: "billing")) == ["q4", "q2"])
            #expect(try await ids(ExecutionQuery(statuses: [.running])) == ["q3", "q0"])
            #expect(try await ids(ExecutionQuery(statuses: [])) == [])
            #expect(try await ids(ExecutionQuery(createdAfter: Fixtures.date(Self.time(2)))) == ["q4", "q3", "q2"], "inclusive")
            #expect(try await ids(ExecutionQuery(createdBefore: Fixtures.date(Self.time(2)))) == ["q1", "q0"], "exclusive")
            #expect(try await ids(ExecutionQuery(
                statuses: [.completed, .failed], owner: "ada", workflowName: "billing", createdAfter: Fixtures.date(Self.time(1)),
                createdBefore: Fixtures.date(Self.time(5)))) == ["q4", "q2"])
            #expect(try await ids(ExecutionQuery(owner: "ada", workflowID: billing)) == ["q2"])
        }
    }

    /// What the unfinished-executions quota counts: one owner's executions in any status but a
    /// terminal one, no further than the limit.
    @Test(arguments: StoreKind.allCases)
    func unfinishedExecutionsAreCountedPerOwnerUpToALimit(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let statuses: [ExecutionStatus] = [.pending, .running, .recovering, .waiting, .paused, .completed, .failed, .cancelled, .timedOut]
            for (index, status) in statuses.enumerated() {
                for owner in ["ada", "bob"] where owner == "ada" || status == .running {
                    var record = Fixtures.execution("u\(owner)\(index)", status: status, createdAt: Self.time(index))
                    record.owner = owner
                    try await store.create(record, transitions: [])
                }
            }
            #expect(try await store.unfinishedCount(owner: "ada", limit: 100) == 5)
            #expect(try await store.unfinishedCount(owner: "ada", limit: 3) == 3)
            #expect(try await store.unfinishedCount(owner: "bob", limit: 100) == 1)
            #expect(try await store.unfinishedCount(owner: "carol", limit: 100) == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func cursorsPageWithoutGapsOrRepeats(kind: StoreKind) async throws {
        try await kind.withStore { store in
            // Twelve executions in three milliseconds; within one, creation times differ below the
            // millisecond in the order opposite to their ids (what stores keep is the millisecond).
            for index in 0..<12 {
                var record = Fixtures.execution(String(format: "p%02d", index), status: index % 3 == 0 ? .completed : .running)
                record.createdAt = Fixtures.date(Self.time(index / 4)).addingTimeInterval(Double(3 - index % 4) * 0.0001)
                try await store.create(record, transitions: [])
            }
            let everything = (0..<12).reversed().map { String(format: "p%02d", $0) }
            for limit in [1, 4, 5, 12, 13] {
                #expect(try await Self.pages(of: store, ExecutionQuery(limit: limit)) == everything, "pages of \(limit)")
            }
            let completed = everything.filter { (Int($0.dropFirst()) ?? 0) % 3 == 0 }
            #expect(try await Self.pages(of: store, ExecutionQuery(statuses: [.completed], limit: 3)) == completed)

            let first = try await store.executions(matching: ExecutionQuery(limit: 5))
            #expect(first.nextCursor != nil)
            let last = try await store.executions(matching: ExecutionQuery(limit: 50))
            #expect(last.nextCursor == nil, "a page that is not full is the last")
        }
    }

    /// Milliseconds of the `index`th distinct creation time.
    static func time(_ index: Int) -> Int64 {
        1_700_000_000_000 + Int64(index) * 1000
    }

    /// Every id `query` selects, page by page, following cursors through their opaque form as a client would.
    static func pages(of store: any ExecutionStore, _ query: ExecutionQuery) async throws -> [String] {
        var query = query
        var ids: [String] = []
        for _ in 0..<100 {
            let page = try await store.executions(matching: query)
            #expect(page.executions.count <= query.limit)
            ids += page.executions.map(\.id)
            guard let cursor = page.nextCursor else { return ids }
            let decoded: ExecutionCursor = try #require(ExecutionCursor(encoded: cursor.encoded))
            query.cursor = decoded
        }
        Issue.record("pagination did not end")
        return ids
    }
}
