import AccessControl
import Foundation
import Hummingbird
import Intelligence
import LazyRabbitCoordinator
import WorkflowDrivers
import WorkflowJSON

/// `POST /v1/workflows/draft`: a workflow written by the coordinator's language model from a
/// plain-language description, validated and repaired (``WorkflowDrafter``), answered — or, with
/// `"store": true` and a valid draft, stored like `POST /v1/workflows` (201). Without a model the
/// route answers 503 `llm_unavailable`; a model that gives no answer is 502 `llm_failed` (its
/// class only: the endpoint's own words stay in the operator's hands). Each draft may cost three
/// model calls, so a user drafts at most ``draftsPerUser`` at once and a process ``draftsInAll``
/// (429 `too_many_drafts`).
struct WorkflowDraftRoute {
    /// The body.
    struct DraftRequest: Decodable {
        var description: String
        var name: String?
        var store: Bool?
    }

    /// The longest description accepted, in bytes.
    static let maxDescriptionBytes = 8192
    /// The longest name accepted, in bytes (state names have the same bound).
    static let maxNameBytes = 128
    /// Drafts one user may have in flight at once, and all users together, in this process.
    static let draftsPerUser = 2
    static let draftsInAll = 16

    let controlPlane: ControlPlane
    let drafter: WorkflowDrafter?
    /// Counts the answers each drafting took (`lazyrabbit_llm_draft_calls_total`, `…_draft_tokens_total`).
    let usage: LLMUsageMetrics
    let inFlight = InFlightQuota(perUser: Self.draftsPerUser, total: Self.draftsInAll, what: "drafts in progress", advice: "wait for one to finish")

    func add(to v1: RouterGroup<APIRequestContext>) {
        v1.post("workflows/draft") { request, context in try await draft(request, context) }
    }

    private func draft(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let requester = try context.requester(.writeWorkflows)
        let body = try await request.decodeJSON(DraftRequest.self, context: context)
        let description = body.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty, description.utf8.count <= Self.maxDescriptionBytes else {
            throw APIError.badRequest(
                "`description` must say what the workflow should do, in at most \(Self.maxDescriptionBytes) bytes", details: ["path": "description"])
        }
        if let name = body.name, name.isEmpty || name.utf8.count > Self.maxNameBytes || name.contains(where: \.isNewline) {
            throw APIError.badRequest("`name` must be one line of 1 to \(Self.maxNameBytes) bytes", details: ["path": "name"])
        }
        guard let drafter else {
            throw APIError(.serviceUnavailable, code: "llm_unavailable", "no language model is configured on this coordinator (LAZYRABBIT_LLM_URL)")
        }
        let claim: InFlightQuota.Claim
        do throws(InFlightQuota.Refusal) {
            claim = try inFlight.claim(for: requester.user)
        } catch {
            throw APIError(.tooManyRequests, code: "too_many_drafts", error.description)
        }
        defer { claim.release() }
        let draft: WorkflowDrafter.Draft
        var counted: (prompt: Int, completion: Int) = (0, 0)
        do {
            draft = try await drafter.draft(description, name: body.name) { sofar in
                // Each answer as it comes: those before a failing one were paid for too.
                usage.recordDraft(
                    model: sofar.model, answers: 1, promptTokens: sofar.promptTokens - counted.prompt, completionTokens: sofar.completionTokens - counted.completion)
                counted = (sofar.promptTokens, sofar.completionTokens)
            }
        } catch {
            throw APIError(
                .badGateway, code: "llm_failed", "the language model gave no answer (\(error.errorClass))", details: ["error_class": .string(error.errorClass)])
        }
        let answer: JSONValue = [
            "source": .string(draft.source), "valid": .bool(draft.isValid), "attempts": .integer(draft.attempts),
            "diagnostics": .array(draft.diagnostics.map(APIError.json)),
            "usage": ["prompt_tokens": .integer(draft.promptTokens), "completion_tokens": .integer(draft.completionTokens)],
        ]
        guard body.store == true, draft.isValid else { return APIJSON.response(status: .ok, json: answer) }
        let (workflow, version) = try await controlPlane.createWorkflow(source: draft.source, by: requester)
        var headers = HTTPFields()
        headers[.location] = "/v1/workflows/\(workflow.id)"
        return try APIJSON.response(
            status: .created, WorkflowRepresentation(record: workflow, latest: WorkflowVersionRepresentation(record: version)), headers: headers)
    }
}

