public import Foundation
import Synchronization

/// A ``WorkflowRepository`` in memory, for tests; same rules as the durable ones.
public final class InMemoryWorkflowRepository: WorkflowRepository {
    private struct Entry {
        var workflow: WorkflowRecord
        var versions: [WorkflowVersionRecord]
        var deleted: Bool
        /// Whether the latest version declares a schedule.
        var scheduled: Bool
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var nextID = 1
    }

    private let state = Mutex(State())

    /// An empty repository.
    public init() {}

    public func create(owner: String, name: String, source: String, scheduled: Bool, at: Date) async throws -> WorkflowVersionRecord {
        try state.withLock { state in
            if state.entries.values.contains(where: { !$0.deleted && $0.workflow.owner == owner && $0.workflow.name == name }) {
                throw StoreError.duplicateWorkflow(owner: owner, name: name)
            }
            let id = String(state.nextID)
            state.nextID += 1
            let version = WorkflowVersionRecord(workflowID: id, version: 1, source: source, createdBy: owner, createdAt: at)
            let workflow = WorkflowRecord(id: id, owner: owner, name: name, latestVersion: 1, createdAt: at, updatedAt: at)
            state.entries[id] = Entry(workflow: workflow, versions: [version], deleted: false, scheduled: scheduled)
            return version
        }
    }

    public func addVersion(workflowID: String, source: String, scheduled: Bool, by user: String, at: Date) async throws -> WorkflowVersionRecord? {
        state.withLock { state in
            guard var entry = state.entries[workflowID], !entry.deleted else { return nil }
            let version = WorkflowVersionRecord(
                workflowID: workflowID, version: entry.workflow.latestVersion + 1, source: source, createdBy: user, createdAt: at)
            entry.versions.append(version)
            entry.workflow.latestVersion = version.version
            entry.workflow.updatedAt = at
            entry.scheduled = scheduled
            state.entries[workflowID] = entry
            return version
        }
    }

    public func workflow(id: String) async throws -> WorkflowRecord? {
        state.withLock { state in
            state.entries[id].flatMap { $0.deleted ? nil : $0.workflow }
        }
    }

    public func version(workflowID: String, version: Int?) async throws -> WorkflowVersionRecord? {
        state.withLock { state in
            guard let entry = state.entries[workflowID] else { return nil }
            let wanted = version ?? entry.workflow.latestVersion
            return entry.versions.first { $0.version == wanted }
        }
    }

    public func workflows(owner: String?, before: String?, limit: Int) async throws -> [WorkflowRecord] {
        let bound = before.map { Int($0) ?? 0 } ?? Int.max
        let live = state.withLock { state in
            state.entries.values.filter { !$0.deleted && (owner == nil || $0.workflow.owner == owner) }.map(\.workflow)
        }
        let newestFirst = live.filter { (Int($0.id) ?? 0) < bound }.sorted { (Int($0.id) ?? 0) > (Int($1.id) ?? 0) }
        return Array(newestFirst.prefix(max(0, limit)))
    }

    public func workflowCount(owner: String, scheduledOnly: Bool) async throws -> Int {
        state.withLock { state in
            state.entries.values.count { !$0.deleted && $0.workflow.owner == owner && (!scheduledOnly || $0.scheduled) }
        }
    }

    public func scheduledWorkflows(limit: Int) async throws -> [WorkflowRecord] {
        let scheduled = state.withLock { state in state.entries.values.filter { !$0.deleted && $0.scheduled }.map(\.workflow) }
        return Array(scheduled.sorted { (Int($0.id) ?? 0) < (Int($1.id) ?? 0) }.prefix(max(0, limit)))
    }

    /// Every workflow here records its flag: nothing to do.
    public func recordSchedule(workflowID: String, scheduled: Bool) async throws {}

    public func delete(workflowID: String, at: Date) async throws -> Bool {
        state.withLock { state in
            guard var entry = state.entries[workflowID], !entry.deleted else { return false }
            entry.deleted = true
            entry.workflow.updatedAt = at
            state.entries[workflowID] = entry
            return true
        }
    }
}
