public import WorkflowDSL
public import WorkflowDrivers

extension ChildWorkflow {
    /// The workflow a `workflow: NAME` callback starts: its definition and source, and, when it
    /// was found among the stored workflows, its id and version (recorded on the child execution).
    public struct Definition: Sendable {
        public var definition: WorkflowDefinition
        public var source: String
        public var workflowID: String?
        public var version: Int?

        public init(definition: WorkflowDefinition, source: String, workflowID: String? = nil, version: Int? = nil) {
            self.definition = definition
            self.source = source
            self.workflowID = workflowID
            self.version = version
        }
    }

    /// The latest version of `owner`'s stored workflow named `name`, or `nil` when `owner` has
    /// none of that name or it no longer validates under `validation` (``WorkflowDSL/ValidationOptions/forRunning``:
    /// a child is run, not stored). Children are looked up
    /// among the parent's owner's workflows only: another user's workflow of the same name is
    /// never started.
    public static func latest(
        named name: String, ownedBy owner: String, in workflows: any WorkflowRepository, validation: ValidationOptions
    ) async throws -> Definition? {
        guard let workflow = try await workflows.workflows(owner: owner, limit: 10_000).first(where: { $0.name == name }),
              let version = try await workflows.version(workflowID: workflow.id, version: nil)
        else { return nil }
        let document = WorkflowDocument.load(version.source, options: validation.forRunning)
        guard let definition = document.definition, document.isValid else { return nil }
        return Definition(definition: definition, source: version.source, workflowID: workflow.id, version: version.version)
    }
}
