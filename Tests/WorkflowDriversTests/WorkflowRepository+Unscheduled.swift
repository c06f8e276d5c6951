import Foundation
import WorkflowDrivers

extension WorkflowRepository {
    /// Stores a new workflow whose source declares no schedule.
    func create(owner: String, name: String, source: String, at: Date) async throws -> WorkflowVersionRecord {
        try await create(owner: owner, name: name, source: source, scheduled: false, at: at)
    }

    /// Stores the next version of a workflow, a source that declares no schedule.
    func addVersion(workflowID: String, source: String, by user: String, at: Date) async throws -> WorkflowVersionRecord? {
        try await addVersion(workflowID: workflowID, source: source, scheduled: false, by: user, at: at)
    }
}
