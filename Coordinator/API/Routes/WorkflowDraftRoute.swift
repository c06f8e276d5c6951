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
/// route answers 503 `llm_unavailable`; a model that gives no answer is 502 `llm_failed`.
struct WorkflowDraftRoute {
    /// The body.
    struct DraftRequest: Decodable {
        var description: String
        var name: String?
        var store: Bool?
    }

    /// The longest description accepted, in bytes.
    static let maxDescriptionBytes = 8192

    let controlPlane: ControlPlane
    let drafter: WorkflowDrafter?

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
        guard let drafter else {
            throw APIError(.serviceUnavailable, code: "llm_unavailable", "no language model is configured on this coordinator (LAZYRABBIT_LLM_URL)")
        }
        let draft: WorkflowDrafter.Draft
        do {
            draft = try await drafter.draft(description, name: body.name)
        } catch {
            throw APIError(.badGateway, code: "llm_failed", "the language model gave no answer: \(error.message)", details: ["error_class": .string(error.errorClass)])
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
