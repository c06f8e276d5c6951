import AccessControl
import WorkflowProtocol
import WorkflowDrivers
import Foundation
import Hummingbird
import LazyRabbitCoordinator
import WorkflowJSON

/// `/v1/workflows`: the workflow registry.
///
/// Definitions are sent as the body's text with `Content-Type: application/yaml` (or
/// `text/yaml`, `application/x-yaml`, `text/plain`), or as JSON with `application/json`:
/// either the definition itself, or the envelope `{"definition": "<YAML or JSON text>"}`.
struct WorkflowRoutes {
    let controlPlane: ControlPlane

    func add(to v1: RouterGroup<APIRequestContext>) {
        v1.post("workflows") { request, context in try await create(request, context) }
        v1.get("workflows") { request, context in try await list(request, context) }
        v1.get("workflows/{id}") { _, context in try await workflow(context) }
        v1.delete("workflows/{id}") { _, context in try await delete(context) }
        v1.post("workflows/{id}/versions") { request, context in try await addVersion(request, context) }
        v1.get("workflows/{id}/versions/{version}") { _, context in try await version(context) }
    }

    private func create(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let requester = try context.requester(.writeWorkflows)
        let source = try await Self.definitionSource(of: request, context: context)
        let (workflow, version) = try await controlPlane.createWorkflow(source: source, by: requester)
        var headers = HTTPFields()
        headers[.location] = "/v1/workflows/\(workflow.id)"
        return try APIJSON.response(
            status: .created, WorkflowRepresentation(record: workflow, latest: WorkflowVersionRepresentation(record: version)), headers: headers)
    }

    /// `GET /v1/workflows?limit=N&cursor=C`: newest first, pages of `limit` (default and most 100).
    private func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let requester = try context.requester(.readWorkflows)
        let parameters = request.uri.queryParameters
        var limit = 100
        if let text = parameters["limit"] {
            guard let number = Int(text), (1...100).contains(number) else {
                throw APIError.badRequest("query parameter `limit` must be a number from 1 to 100", code: "invalid_query", details: ["parameter": "limit"])
            }
            limit = number
        }
        let cursor = parameters["cursor"].map(String.init)
        if let cursor, Int64(storedID: cursor).map({ $0 > 0 }) != true {
            throw APIError.badRequest(
                "query parameter `cursor` must be a next_cursor from an earlier page", code: "invalid_query", details: ["parameter": "cursor"])
        }
        let workflows = try await controlPlane.workflows(by: requester, before: cursor, limit: limit)
        return try APIJSON.response(
            status: .ok,
            ListPage(
                itemsKey: "workflows", items: workflows.map { WorkflowRepresentation(record: $0) },
                nextCursor: workflows.count == limit ? workflows.last?.id : nil))
    }

    private func workflow(_ context: APIRequestContext) async throws -> Response {
        let requester = try context.requester(.readWorkflows)
        let id = try context.pathParameter("id")
        let workflow = try await controlPlane.workflow(id: id, by: requester)
        let latest = try await controlPlane.version(workflowID: id, version: nil, by: requester)
        return try APIJSON.response(status: .ok, WorkflowRepresentation(record: workflow, latest: WorkflowVersionRepresentation(record: latest)))
    }

    private func delete(_ context: APIRequestContext) async throws -> Response {
        let requester = try context.requester(.writeWorkflows)
        try await controlPlane.deleteWorkflow(id: try context.pathParameter("id"), by: requester)
        return Response(status: .noContent)
    }

    private func addVersion(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let requester = try context.requester(.writeWorkflows)
        let id = try context.pathParameter("id")
        _ = try await controlPlane.workflow(id: id, by: requester)
        let source = try await Self.definitionSource(of: request, context: context)
        let version = try await controlPlane.addVersion(workflowID: id, source: source, by: requester)
        var headers = HTTPFields()
        headers[.location] = "/v1/workflows/\(id)/versions/\(version.version)"
        return try APIJSON.response(status: .created, WorkflowVersionRepresentation(record: version), headers: headers)
    }

    private func version(_ context: APIRequestContext) async throws -> Response {
        let requester = try context.requester(.readWorkflows)
        let id = try context.pathParameter("id")
        guard let number = context.parameters.get("version", as: Int.self), number > 0 else {
            throw APIError.badRequest("the version must be a positive integer", code: "invalid_parameter", details: ["parameter": "version"])
        }
        let version = try await controlPlane.version(workflowID: id, version: number, by: requester)
        return try APIJSON.response(status: .ok, WorkflowVersionRepresentation(record: version))
    }

    /// The definition text of a create or new-version request (see the type's documentation).
    static func definitionSource(of request: Request, context: APIRequestContext) async throws -> String {
        let data = try await request.bodyData(context: context)
        let mediaType = request.headers[.contentType]?.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        let text = String(decoding: data, as: UTF8.self)
        switch mediaType {
        case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain", "":
            break
        case "application/json":
            let value = try APIJSON.decode(JSONValue.self, from: data, emptyAsObject: false)
            if case .object(let fields) = value, fields.count == 1, fields["definition"] != nil {
                return try APIJSON.decode(DefinitionEnvelope.self, from: data).definition
            }
        default:
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type",
                "send the definition as application/yaml, text/yaml or application/json (got \(mediaType))")
        }
        guard !text.allSatisfy(\.isWhitespace) else {
            throw APIError.badRequest("the request body is empty: send the workflow definition", code: "empty_body")
        }
        return text
    }
}
