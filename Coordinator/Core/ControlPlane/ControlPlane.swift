public import Foundation
public import WorkflowDSL
public import WorkflowDrivers
import WorkflowEngine
public import WorkflowJSON
public import WorkflowProtocol

/// What the REST API does, without HTTP: the workflow registry, starting and listing
/// executions, and operator actions, each scoped to what the ``Requester`` may see. Objects
/// owned by someone else answer ``ControlPlaneError/Code/notFound``, exactly like missing ones.
///
/// Backend-agnostic: the coordinator runs it over PostgreSQL with an outbox, `lazyrabbit dev`
/// over SQLite with in-process effects.
///
/// ```swift
/// let plane = ControlPlane(coordinator: coordinator, store: store, workflows: repository)
/// let (workflow, _) = try await plane.createWorkflow(source: yaml, by: Requester(user: "ada"))
/// let started = try await plane.startExecution(workflowID: workflow.id, input: ["order": 42], by: Requester(user: "ada"))
/// ```
public struct ControlPlane: Sendable {
    private let coordinator: ExecutionCoordinator
    private let store: any ExecutionStore
    private let workflows: any WorkflowRepository
    /// Limits and the callback address policy every definition must pass when stored (running one
    /// checks them ``WorkflowDSL/ValidationOptions/forRunning``); the scheduler does not fire a
    /// schedule under its minimum interval.
    public let validation: ValidationOptions
    /// How many workflows each user may keep.
    public let quotas: UserQuotas
    private let unfinished = UnfinishedExecutionTally()
    private let validated = ValidatedDefinitions()
    private let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - validation: limits and the callback address policy every submitted definition must pass.
    ///   - quotas: how many workflows, and scheduled workflows, each user may keep.
    public init(
        coordinator: ExecutionCoordinator, store: any ExecutionStore, workflows: any WorkflowRepository,
        validation: ValidationOptions = ValidationOptions(), quotas: UserQuotas = UserQuotas(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.coordinator = coordinator
        self.store = store
        self.workflows = workflows
        self.validation = validation
        self.quotas = quotas
        self.clock = clock
    }

    // MARK: Workflows

    /// Validates `source` and stores it as version 1 of a new workflow named after its `name`.
    ///
    /// - Throws: ``ControlPlaneError/Code/invalidWorkflow`` with every problem,
    ///   ``ControlPlaneError/Code/conflict`` when the requester already has a workflow of that name,
    ///   ``ControlPlaneError/Code/quotaExceeded`` past the requester's ``UserQuotas``.
    public func createWorkflow(source: String, by requester: Requester) async throws -> (WorkflowRecord, WorkflowVersionRecord) {
        let definition = try validateForStoring(source)
        try await checkQuota(of: requester, scheduledOnly: false)
        if definition.schedule != nil { try await checkQuota(of: requester, scheduledOnly: true) }
        do {
            let version = try await workflows.create(
                owner: requester.user, name: definition.name, source: source, scheduled: definition.schedule != nil, at: clock())
            guard let workflow = try await workflows.workflow(id: version.workflowID) else {
                throw ControlPlaneError.notFound("workflow", version.workflowID)
            }
            return (workflow, version)
        } catch StoreError.duplicateWorkflow(_, let name) {
            throw ControlPlaneError(.conflict, "you already have a workflow named `\(name)`: add a version to it instead")
        }
    }

    /// Validates `source` and stores it as the next version; its `name` must stay the workflow's.
    ///
    /// - Throws: ``ControlPlaneError/Code/quotaExceeded`` when the version adds a schedule to a
    ///   workflow and the owner already has as many scheduled workflows as allowed.
    public func addVersion(workflowID: String, source: String, by requester: Requester) async throws -> WorkflowVersionRecord {
        let workflow = try await workflow(id: workflowID, by: requester)
        let definition = try validateForStoring(source)
        guard definition.name == workflow.name else {
            throw ControlPlaneError(
                .invalidWorkflow, "a new version must keep the workflow's name `\(workflow.name)` (got `\(definition.name)`)",
                diagnostics: [Diagnostic(code: "name_changed", message: "expected `\(workflow.name)`", path: "name")])
        }
        if definition.schedule != nil, let latest = try await workflows.version(workflowID: workflowID, version: nil),
           WorkflowParser.parse(latest.source).definition?.schedule == nil {
            try await checkQuota(of: Requester(user: workflow.owner), scheduledOnly: true)
        }
        guard let version = try await workflows.addVersion(
            workflowID: workflowID, source: source, scheduled: definition.schedule != nil, by: requester.user, at: clock())
        else {
            throw ControlPlaneError.notFound("workflow", workflowID)
        }
        return version
    }

    /// A workflow the requester may see.
    public func workflow(id: String, by requester: Requester) async throws -> WorkflowRecord {
        guard let workflow = try await workflows.workflow(id: id), requester.canSee(ownedBy: workflow.owner) else {
            throw ControlPlaneError.notFound("workflow", id)
        }
        return workflow
    }

    /// One version (the latest when `version` is `nil`) of a workflow the requester may see.
    public func version(workflowID: String, version: Int?, by requester: Requester) async throws -> WorkflowVersionRecord {
        _ = try await workflow(id: workflowID, by: requester)
        guard let found = try await workflows.version(workflowID: workflowID, version: version) else {
            throw ControlPlaneError.notFound("version", "\(version.map(String.init) ?? "latest") of workflow \(workflowID)")
        }
        return found
    }

    /// Workflows whose latest version declares a schedule (or may: stored before versions said),
    /// oldest first, at most `limit`; for the scheduler.
    public func scheduledWorkflows(limit: Int) async throws -> [WorkflowRecord] {
        try await workflows.scheduledWorkflows(limit: limit)
    }

    /// Records what the scheduler found in the latest version of a workflow stored before
    /// workflows recorded whether they are scheduled (nothing changes for the others).
    public func recordSchedule(workflowID: String, scheduled: Bool) async throws {
        try await workflows.recordSchedule(workflowID: workflowID, scheduled: scheduled)
    }

    /// The requester's workflows (everyone's for admins), newest first; with `before`, the page
    /// after the one that ended with that workflow.
    public func workflows(by requester: Requester, before: String? = nil, limit: Int = 100) async throws -> [WorkflowRecord] {
        try await workflows.workflows(owner: requester.seesEveryone ? nil : requester.user, before: before, limit: limit)
    }

    /// Deletes a workflow; its executions and versions stay.
    public func deleteWorkflow(id: String, by requester: Requester) async throws {
        _ = try await workflow(id: id, by: requester)
        guard try await workflows.delete(workflowID: id, at: clock()) else { throw ControlPlaneError.notFound("workflow", id) }
    }

    // MARK: Executions

    /// Idempotency keys with this prefix are the scheduler's (`schedule:<workflow id>:<tick>`);
    /// the API refuses them from clients, who could otherwise take a tick's key before it fires.
    public static let scheduledKeyPrefix = "schedule:"

    /// Starts a run of a stored workflow (its latest version unless `version` is given). A repeated
    /// `idempotencyKey` of the same requester answers the execution it started the first time;
    /// reused for another workflow (or another explicit version) it is a conflict.
    public func startExecution(
        workflowID: String, version: Int? = nil, input: JSONValue, idempotencyKey: String? = nil, by requester: Requester
    ) async throws -> StartedExecution {
        if let idempotencyKey, let existing = try await store.execution(owner: requester.user, idempotencyKey: idempotencyKey) {
            return try Self.repeated(existing, workflowID: workflowID, version: version)
        }
        let stored = try await self.version(workflowID: workflowID, version: version, by: requester)
        let definition = try validate(stored.source)
        let origin = ExecutionOrigin(
            owner: requester.user, workflowID: workflowID, workflowVersion: stored.version, idempotencyKey: idempotencyKey)
        do {
            let record = try await counted(requester.user) {
                try await coordinator.start(definition: definition, source: stored.source, input: input, origin: origin)
            }
            return StartedExecution(record: record, created: true)
        } catch StoreError.duplicateIdempotencyKey(let existingID) {
            // Two requests with the same key raced; the other one won (perhaps for another workflow).
            return try Self.repeated(try await execution(id: existingID, by: requester), workflowID: workflowID, version: version)
        } catch CoordinatorError.invalidInput(let error) {
            throw ControlPlaneError(.invalidInput, error.description)
        }
    }

    /// The answer to a start whose Idempotency-Key already started `existing`: that execution,
    /// or a conflict when the key was used for another workflow or another explicit version.
    private static func repeated(_ existing: ExecutionRecord, workflowID: String, version: Int?) throws -> StartedExecution {
        guard existing.workflowID == workflowID, version == nil || existing.workflowVersion == version else {
            throw ControlPlaneError(.conflict, "the Idempotency-Key was used for execution \(existing.id) of workflow \(existing.workflowID ?? "?") "
                + "version \(existing.workflowVersion.map(String.init) ?? "?"); use a new key for another workflow or version")
        }
        return StartedExecution(record: existing, created: false)
    }

    /// An execution the requester may see.
    public func execution(id: String, by requester: Requester) async throws -> ExecutionRecord {
        guard let record = try await store.execution(id: id), requester.canSee(ownedBy: record.owner) else {
            throw ControlPlaneError.notFound("execution", id)
        }
        return record
    }

    /// A page of executions; non-admins only ever see their own, whatever `query.owner` says.
    public func executions(_ query: ExecutionQuery, by requester: Requester) async throws -> ExecutionPage {
        var query = query
        if !requester.seesEveryone { query.owner = requester.user }
        return try await store.executions(matching: query)
    }

    /// The transitions of an execution after `sequence`, in order.
    public func transitions(executionID: String, after sequence: Int = 0, by requester: Requester) async throws -> [TransitionRecord] {
        _ = try await execution(id: executionID, by: requester)
        return try await store.transitions(executionID: executionID, afterSequence: sequence)
    }

    /// Cancels a running execution.
    public func cancel(executionID: String, reason: String?, by requester: Requester) async throws {
        try await act(.cancel(reason: reason ?? "cancelled by \(requester.user)"), on: executionID, by: requester, refusal: "it has already finished")
    }

    /// Pauses an execution: running tasks finish, no new one starts until ``resume(executionID:by:)``.
    public func pause(executionID: String, by requester: Requester) async throws {
        try await act(.pause(by: requester.user), on: executionID, by: requester, refusal: "it is finished or already paused")
    }

    /// Resumes a paused execution.
    public func resume(executionID: String, by requester: Requester) async throws {
        try await act(.resume(by: requester.user), on: executionID, by: requester, refusal: "it is not paused")
    }

    /// Sends a signal (buffered if nothing waits for it yet).
    public func signal(executionID: String, name: String, payload: JSONValue, by requester: Requester) async throws {
        try await act(.signal(name: name, payload: payload), on: executionID, by: requester, refusal: "it has already finished")
    }

    /// Decides an approval the execution waits for. When approvals wait in several states,
    /// `state` must name one: deciding "the first" would be a guess (a conflict otherwise).
    public func decide(
        executionID: String, state: String?, approved: Bool, comment: String?, by requester: Requester
    ) async throws {
        if state == nil {
            _ = try await execution(id: executionID, by: requester)
            let waiting = Set(try await coordinator.instance(executionID).threads.values.compactMap { thread -> String? in
                if case .awaitingApproval = thread.phase { thread.state } else { nil }
            })
            guard waiting.count < 2 else {
                throw ControlPlaneError(
                    .conflict, "approvals wait in states \(waiting.sorted().map { "`\($0)`" }.joined(separator: ", ")): name one with `state`")
            }
        }
        try await act(
            .approval(state: state, approved: approved, by: requester.user, comment: comment), on: executionID, by: requester,
            refusal: "no approval\(state.map { " in state `\($0)`" } ?? "") is waiting")
    }

    /// Starts a new execution that retries a finished, unsuccessful one from `state` (its first
    /// state when `nil`), with the old run's context and its input shallow-merged with `inputPatch`.
    public func retry(
        executionID: String, fromState state: String?, inputPatch: JSONValue?, by requester: Requester
    ) async throws -> ExecutionRecord {
        let old = try await execution(id: executionID, by: requester)
        guard old.status.isTerminal, old.status != .completed else {
            throw ControlPlaneError(.conflict, "execution \(executionID) is \(old.status.rawValue): only a failed, cancelled or timed-out run can be retried")
        }
        let definition = try validate(old.definitionSource)
        let instance = try await coordinator.instance(executionID)
        var input = old.input
        if case .object(let patch)? = inputPatch, case .object(var fields) = input {
            for (key, value) in patch { fields[key] = value }
            input = .object(fields)
        } else if let inputPatch, inputPatch != .null {
            input = inputPatch
        }
        let origin = ExecutionOrigin(owner: old.owner, workflowID: old.workflowID, workflowVersion: old.workflowVersion)
        let start = {
            try await coordinator.start(
                definition: definition, source: old.definitionSource, input: input, origin: origin, startState: state,
                context: state == nil ? .emptyObject : instance.context)
        }
        do {
            guard let owner = old.owner else { return try await start() }
            return try await counted(owner, start)
        } catch CoordinatorError.invalidInput(let error) {
            throw ControlPlaneError(.invalidInput, error.description)
        }
    }

    // MARK: Helpers

    private func act(_ event: EngineEvent, on executionID: String, by requester: Requester, refusal: String) async throws {
        _ = try await execution(id: executionID, by: requester)
        guard try await coordinator.deliver(event, to: executionID) else {
            throw ControlPlaneError(.conflict, "execution \(executionID) cannot take this action: \(refusal)")
        }
    }

    /// Refuses when `requester` already has as many workflows (scheduled ones, with
    /// `scheduledOnly`) as ``quotas`` allow.
    private func checkQuota(of requester: Requester, scheduledOnly: Bool) async throws {
        let (limit, kind) = scheduledOnly ? (quotas.scheduledWorkflows, "scheduled workflow") : (quotas.workflows, "workflow")
        let count = try await workflows.workflowCount(owner: requester.user, scheduledOnly: scheduledOnly)
        guard count < limit else {
            throw ControlPlaneError(
                .quotaExceeded, "\(requester.user) may keep at most \(limit) \(kind)\(limit == 1 ? "" : "s") and has \(count): delete one first")
        }
    }

    /// Runs `start` as a new unfinished execution of `owner`: refused when `owner` has as many as
    /// ``quotas`` allow, and counted as unwritten until `start` returns or throws.
    private func counted<Started>(_ owner: String, _ start: () async throws -> Started) async throws -> Started {
        let (admitted, count) = try await unfinished.admit(owner, limit: quotas.unfinishedExecutions, store: store)
        guard admitted else {
            throw ControlPlaneError(
                .tooManyUnfinished,
                "\(owner) has \(count) executions that have not finished, and one user may have \(quotas.unfinishedExecutions): start again when some finish")
        }
        do {
            let started = try await start()
            await unfinished.settled(owner)
            return started
        } catch {
            await unfinished.settled(owner)
            throw error
        }
    }

    /// A definition about to be stored: every check of ``validation``, never from the cache.
    private func validateForStoring(_ source: String) throws -> WorkflowDefinition {
        let definition = try Self.validated(source, options: validation)
        validated.remember(definition, for: source)
        return definition
    }

    /// A definition about to run (a start, a retry): the checks of ``validation`` that running
    /// depends on (``WorkflowDSL/ValidationOptions/forRunning``), once per source.
    private func validate(_ source: String) throws -> WorkflowDefinition {
        if let definition = validated.definition(for: source) { return definition }
        let definition = try Self.validated(source, options: validation.forRunning)
        validated.remember(definition, for: source)
        return definition
    }

    private static func validated(_ source: String, options: ValidationOptions) throws -> WorkflowDefinition {
        let document = WorkflowDocument.load(source, options: options)
        guard let definition = document.definition, document.isValid else {
            let errors = document.diagnostics.filter { $0.severity == .error }
            throw ControlPlaneError(
                .invalidWorkflow, "the workflow has \(errors.count) problem\(errors.count == 1 ? "" : "s")", diagnostics: document.diagnostics)
        }
        return definition
    }
}
