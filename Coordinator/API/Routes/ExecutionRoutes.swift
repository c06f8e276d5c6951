import AccessControl
import Foundation
import Hummingbird
import HummingbirdCore
import LazyRabbitCoordinator
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// Starting executions and reading them: `POST /v1/workflows/{id}/executions`,
/// `GET /v1/executions`, `GET /v1/executions/{id}`, `GET /v1/executions/{id}/transitions`.
struct ExecutionRoutes {
    let controlPlane: ControlPlane

    /// The largest page `GET /v1/executions` answers.
    static let maximumLimit = 500

    func add(to v1: RouterGroup<APIRequestContext>) {
        v1.post("workflows/{id}/executions") { request, context in try await start(request, context) }
        v1.get("executions") { request, context in try await list(request, context) }
        v1.get("executions/{id}") { _, context in try await execution(context) }
        v1.get("executions/{id}/transitions") { request, context in try await transitions(request, context) }
    }

    private func start(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let requester = try context.requester(.startExecutions)
        let workflowID = try context.pathParameter("id")
        let body = try await request.decodeJSON(StartExecutionRequest.self, context: context)
        let key = request.headers[.idempotencyKey].flatMap { $0.isEmpty ? nil : $0 }
        if let key, key.utf8.count > 255 {
            throw APIError.badRequest("the Idempotency-Key header is longer than 255 bytes", code: "invalid_header")
        }
        if let key, key.hasPrefix(ControlPlane.scheduledKeyPrefix) {
            throw APIError.badRequest(
                "Idempotency-Keys starting with `\(ControlPlane.scheduledKeyPrefix)` are the scheduler's", code: "invalid_header")
        }
        let started = try await controlPlane.startExecution(
            workflowID: workflowID, version: body.version, input: body.input ?? .emptyObject, idempotencyKey: key, by: requester)
        return try Self.created(ExecutionRepresentation(record: started.record), status: started.created ? .created : .ok)
    }

    private func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let requester = try context.requester(.readExecutions)
        let page = try await controlPlane.executions(try Self.query(request.uri.queryParameters), by: requester)
        return try APIJSON.response(
            status: .ok,
            ListPage(itemsKey: "executions", items: page.executions.map { ExecutionRepresentation(record: $0) }, nextCursor: page.nextCursor?.encoded))
    }

    private func execution(_ context: APIRequestContext) async throws -> Response {
        let requester = try context.requester(.readExecutions)
        let record = try await controlPlane.execution(id: try context.pathParameter("id"), by: requester)
        return try APIJSON.response(status: .ok, ExecutionRepresentation(record: record))
    }

    private func transitions(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let requester = try context.requester(.readExecutions)
        let after = try Self.afterParameter(request)
        let transitions = try await controlPlane.transitions(executionID: try context.pathParameter("id"), after: after, by: requester)
        return try APIJSON.response(status: .ok, TransitionList(transitions: transitions.map(TransitionRepresentation.init)))
    }

    /// An execution answer with its `Location`.
    static func created(_ execution: ExecutionRepresentation, status: HTTPResponse.Status) throws -> Response {
        var headers = HTTPFields()
        headers[.location] = "/v1/executions/\(execution.record.id)"
        return try APIJSON.response(status: status, execution, headers: headers)
    }

    /// The `after` query parameter: a sequence number, 0 when absent.
    static func afterParameter(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters["after"] else { return 0 }
        guard let after = Int(text), after >= 0 else { throw invalidQuery("after", "a sequence number (0 or more)") }
        return after
    }

    /// The filters of `GET /v1/executions`.
    static func query(_ parameters: FlatDictionary<Substring, Substring>) throws -> ExecutionQuery {
        var query = ExecutionQuery()
        if let text = parameters["status"] {
            var statuses = Set<ExecutionStatus>()
            for name in text.split(separator: ",") {
                guard let status = ExecutionStatus(rawValue: name.trimmingCharacters(in: .whitespaces).uppercased()) else {
                    throw invalidQuery("status", "a comma-separated list of \(ExecutionStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                statuses.insert(status)
            }
            guard !statuses.isEmpty else {
                throw invalidQuery("status", "a comma-separated list of \(ExecutionStatus.allCases.map(\.rawValue).joined(separator: ", ")), not empty")
            }
            query.statuses = statuses
        }
        query.workflowID = parameters["workflow_id"].map(String.init)
        query.workflowName = parameters["workflow"].map(String.init)
        for (name, keyPath) in [("created_after", \ExecutionQuery.createdAfter), ("created_before", \ExecutionQuery.createdBefore)] {
            guard let text = parameters[Substring(name)] else { continue }
            guard let date = APIJSON.date(String(text)) else { throw invalidQuery(name, "an ISO 8601 time such as 2026-05-01T12:00:00Z") }
            query[keyPath: keyPath] = date
        }
        if let text = parameters["limit"] {
            guard let limit = Int(text), (1...maximumLimit).contains(limit) else { throw invalidQuery("limit", "a number from 1 to \(maximumLimit)") }
            query.limit = limit
        }
        if let text = parameters["cursor"] {
            guard let cursor = ExecutionCursor(encoded: String(text)) else { throw invalidQuery("cursor", "a next_cursor from an earlier page") }
            query.cursor = cursor
        }
        return query
    }

    private static func invalidQuery(_ name: String, _ expected: String) -> APIError {
        APIError.badRequest("query parameter `\(name)` must be \(expected)", code: "invalid_query", details: ["parameter": .string(name)])
    }
}
