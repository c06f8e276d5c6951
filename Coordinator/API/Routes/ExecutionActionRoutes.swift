import AccessControl
import WorkflowProtocol
import WorkflowDrivers
import Hummingbird
import LazyRabbitCoordinator
import WorkflowJSON

/// Operator actions on an execution: cancel, pause, resume, retry, signal, approve, reject.
/// Each answers 202 with the execution as it is after the action was applied (retry: 201 with
/// the new execution and its `retry_of`); an action the execution's state does not allow is 409.
struct ExecutionActionRoutes {
    let controlPlane: ControlPlane

    func add(to v1: RouterGroup<APIRequestContext>) {
        v1.post("executions/{id}/cancel") { request, context in
            let reason = try await request.decodeJSON(CancelRequest.self, context: context).reason
            return try await act(context) { try await controlPlane.cancel(executionID: $0, reason: reason, by: $1) }
        }
        v1.post("executions/{id}/pause") { _, context in
            try await act(context) { try await controlPlane.pause(executionID: $0, by: $1) }
        }
        v1.post("executions/{id}/resume") { _, context in
            try await act(context) { try await controlPlane.resume(executionID: $0, by: $1) }
        }
        v1.post("executions/{id}/signals/{name}") { request, context in
            let name = try context.pathParameter("name")
            let data = try await request.bodyData(context: context)
            let payload = data.isEmpty ? JSONValue.null : try APIJSON.decode(JSONValue.self, from: data, emptyAsObject: false)
            if let breach = payload.breach(of: .storable) {
                // The engine would refuse it (`signal_refused`); the sender learns it here.
                let refusal = TaskFailure.breaking(.storable, breach, what: "the signal's payload")
                throw APIError(.unprocessableContent, code: refusal.errorClass, refusal.message)
            }
            return try await act(context) { try await controlPlane.signal(executionID: $0, name: name, payload: payload, by: $1) }
        }
        for (action, approved) in [("approve", true), ("reject", false)] {
            v1.post("executions/{id}/\(action)") { request, context in
                let decision = try await request.decodeJSON(DecisionRequest.self, context: context)
                return try await act(context) {
                    try await controlPlane.decide(executionID: $0, state: decision.state, approved: approved, comment: decision.comment, by: $1)
                }
            }
        }
        v1.post("executions/{id}/retry") { request, context in try await retry(request, context) }
    }

    private func act(
        _ context: APIRequestContext, _ action: (String, Requester) async throws -> Void
    ) async throws -> Response {
        let requester = try context.requester(.operateExecutions)
        let id = try context.pathParameter("id")
        try await action(id, requester)
        let record = try await controlPlane.execution(id: id, by: requester)
        return try APIJSON.response(status: .accepted, ExecutionRepresentation(record: record))
    }

    private func retry(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let requester = try context.requester(.operateExecutions)
        let id = try context.pathParameter("id")
        let body = try await request.decodeJSON(RetryRequest.self, context: context)
        let record = try await controlPlane.retry(executionID: id, fromState: body.fromState, inputPatch: body.input, by: requester)
        return try ExecutionRoutes.created(ExecutionRepresentation(record: record, retryOf: id), status: .created)
    }
}
