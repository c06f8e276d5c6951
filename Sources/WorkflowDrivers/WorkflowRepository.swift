public import Foundation

/// The registry of stored workflow definitions: each workflow has an owner, a name unique per
/// owner and numbered, immutable versions (a change is a new version, so executions always know
/// exactly what they run). Implementations: ``InMemoryWorkflowRepository``, SQLite (`lazyrabbit dev`),
/// PostgreSQL (the coordinator); all pass one conformance suite.
public protocol WorkflowRepository: Sendable {
    /// Stores a new workflow with `source` as version 1; `scheduled` says whether it declares a
    /// `schedule` (the repository does not parse sources).
    ///
    /// - Throws: ``StoreError/duplicateWorkflow(owner:name:)`` when the owner has a live workflow of that name.
    func create(owner: String, name: String, source: String, scheduled: Bool, at: Date) async throws -> WorkflowVersionRecord

    /// Stores `source` as the next version of a live workflow; `nil` when there is no such workflow.
    func addVersion(workflowID: String, source: String, scheduled: Bool, by user: String, at: Date) async throws -> WorkflowVersionRecord?

    /// Live workflows whose latest version declares a schedule (oldest first), then those stored
    /// before workflows recorded it, whose flag is unknown (newest first; the caller parses them
    /// and records what it found): what the scheduler looks at, however many other workflows there are.
    func scheduledWorkflows(limit: Int) async throws -> [WorkflowRecord]

    /// Records whether the latest version of a workflow stored before workflows recorded it
    /// declares a schedule; changes nothing when the flag is known (a version added since set it).
    func recordSchedule(workflowID: String, scheduled: Bool) async throws

    /// A live (not deleted) workflow, or `nil`.
    func workflow(id: String) async throws -> WorkflowRecord?

    /// Version `version` of a workflow (the latest when `nil`), or `nil`.
    func version(workflowID: String, version: Int?) async throws -> WorkflowVersionRecord?

    /// Live workflows, newest first (by id: ids grow with creation), optionally only `owner`'s,
    /// and only those older than workflow `before` (the last one of the previous page).
    func workflows(owner: String?, before: String?, limit: Int) async throws -> [WorkflowRecord]

    /// How many live workflows `owner` has; with `scheduledOnly`, only those whose latest version
    /// declares a schedule or may (stored before workflows recorded it). For quotas.
    func workflowCount(owner: String, scheduledOnly: Bool) async throws -> Int

    /// Deletes a workflow: it disappears from lists and can no longer start executions; its
    /// versions stay for the executions that ran them. `false` when there was no live workflow.
    func delete(workflowID: String, at: Date) async throws -> Bool
}

extension WorkflowRepository {
    /// The first page of live workflows, newest first, optionally only `owner`'s.
    public func workflows(owner: String?, limit: Int) async throws -> [WorkflowRecord] {
        try await workflows(owner: owner, before: nil, limit: limit)
    }
}

/// A stored workflow.
public struct WorkflowRecord: Sendable, Codable, Equatable {
    public var id: String
    public var owner: String
    public var name: String
    /// The highest version number.
    public var latestVersion: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, owner: String, name: String, latestVersion: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.owner = owner
        self.name = name
        self.latestVersion = latestVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One immutable version of a stored workflow.
public struct WorkflowVersionRecord: Sendable, Codable, Equatable {
    public var workflowID: String
    public var version: Int
    /// The definition text exactly as submitted (YAML or JSON).
    public var source: String
    public var createdBy: String
    public var createdAt: Date

    public init(workflowID: String, version: Int, source: String, createdBy: String, createdAt: Date) {
        self.workflowID = workflowID
        self.version = version
        self.source = source
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}
