import HTTPTypes
import WorkflowJSON

/// The OpenAPI 3.1 description of the API, written as data (served at `GET /openapi.json`).
/// A test checks it against the routes the router actually registers, both ways.
enum OpenAPIDocument {
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    private static let id = APIOperation.Parameter.path("id", "The object's id.")
    private static let executionBody: [(Int, String, String?)] = [
        (202, "The action was applied; the execution as it is now", "Execution"), (403, "The role may not act on executions", "Error"),
        (404, "No such execution (or another user's)", "Error"), (409, "The execution's state does not allow the action", "Error"),
    ]

    /// Every operation, in the order the documentation lists them.
    static let operations: [APIOperation] = [
        APIOperation(method: .get, path: "/healthz", id: "health", summary: "Liveness: 200 whenever the process serves.", tag: "operations",
                     authenticated: false, responses: [(200, "Alive", "Status")]),
        APIOperation(method: .get, path: "/readyz", id: "ready", summary: "Readiness: runs every dependency check.", tag: "operations",
                     authenticated: false, responses: [(200, "Every check passed", "Status"), (503, "Failed checks in details", "Error")]),
        APIOperation(method: .get, path: "/metrics", id: "metrics", summary: "Prometheus metrics (text format 0.0.4).", tag: "operations",
                     authenticated: false, responses: [(200, "Metrics", "PrometheusText")]),
        APIOperation(method: .get, path: "/openapi.json", id: "openapi", summary: "This document.", tag: "operations",
                     authenticated: false, responses: [(200, "The OpenAPI document", nil)]),

        APIOperation(method: .post, path: "/v1/workflows", id: "createWorkflow", summary: "Validate and store a new workflow (version 1).",
                     tag: "workflows", authenticated: true,
                     requestBody: ["application/yaml": ["type": "string"], "text/yaml": ["type": "string"], "application/json": ref("DefinitionEnvelope")],
                     responses: [(201, "Stored", "WorkflowDetail"), (400, "Empty or malformed body", "Error"),
                                 (403, "Viewer role, or quota_exceeded: you keep as many workflows (or scheduled ones) as allowed", "Error"),
                                 (409, "You already have a workflow of that name", "Error"), (413, "Body too large", "Error"),
                                 (415, "Unsupported content type", "Error"), (422, "Invalid definition: every problem in details", "Error")]),
        APIOperation(method: .post, path: "/v1/workflows/draft", id: "draftWorkflow",
                     summary: "Write a workflow from plain language with the language model, validated and repaired; with store, keep a valid one.",
                     tag: "workflows", authenticated: true, requestBody: ["application/json": ref("DraftRequest")],
                     responses: [(200, "The draft (valid or not, with its diagnostics)", "WorkflowDraft"), (201, "Stored (store: true)", "WorkflowDetail"),
                                 (400, "Malformed body, empty description or bad name", "Error"), (403, "Viewer role, or quota_exceeded", "Error"),
                                 (409, "store: you already have a workflow of that name", "Error"), (413, "Body too large", "Error"),
                                 (429, "Rate limited, or too_many_drafts: two of yours are in progress", "Error"),
                                 (502, "llm_failed: the model gave no answer (details.error_class)", "Error"),
                                 (503, "llm_unavailable: no model configured", "Error")]),
        APIOperation(method: .get, path: "/v1/workflows", id: "listWorkflows", summary: "Your workflows (everyone's for admins), newest first, one page at a time.",
                     tag: "workflows", authenticated: true,
                     parameters: [
                        .query("limit", "Page size, 1–100 (default 100).", schema: ["type": "integer", "minimum": 1, "maximum": 100]),
                        .query("cursor", "The next_cursor of the previous page."),
                     ],
                     responses: [(200, "A page", "WorkflowList"), (400, "A bad query parameter", "Error")]),
        APIOperation(method: .get, path: "/v1/workflows/{id}", id: "getWorkflow", summary: "A workflow with its latest version and source.",
                     tag: "workflows", authenticated: true, parameters: [id], responses: [(200, "The workflow", "WorkflowDetail"), (404, "Not found", "Error")]),
        APIOperation(method: .delete, path: "/v1/workflows/{id}", id: "deleteWorkflow", summary: "Delete a workflow; its executions stay.",
                     tag: "workflows", authenticated: true, parameters: [id],
                     responses: [(204, "Deleted", nil), (403, "Viewer role", "Error"), (404, "Not found", "Error")]),
        APIOperation(method: .post, path: "/v1/workflows/{id}/versions", id: "addWorkflowVersion", summary: "Store a new version (same name).",
                     tag: "workflows", authenticated: true, parameters: [id],
                     requestBody: ["application/yaml": ["type": "string"], "text/yaml": ["type": "string"], "application/json": ref("DefinitionEnvelope")],
                     responses: [(201, "Stored", "WorkflowVersion"), (400, "Empty or malformed body", "Error"),
                                 (403, "Viewer role, or quota_exceeded: the version adds a schedule past the owner's quota", "Error"),
                                 (404, "Not found", "Error"), (422, "Invalid definition", "Error")]),
        APIOperation(method: .get, path: "/v1/workflows/{id}/versions/{version}", id: "getWorkflowVersion", summary: "One version with its source.",
                     tag: "workflows", authenticated: true,
                     parameters: [id, .path("version", "The version number (1, 2, ...).", schema: ["type": "integer", "minimum": 1])],
                     responses: [(200, "The version", "WorkflowVersion"), (400, "Not a version number", "Error"), (404, "Not found", "Error")]),

        APIOperation(method: .post, path: "/v1/workflows/{id}/executions", id: "startExecution",
                     summary: "Start a run (201; 200 with the same execution for a repeated Idempotency-Key).", tag: "executions", authenticated: true,
                     parameters: [id, .header(
                        "Idempotency-Key",
                        "Repeating a key answers the execution it started (per user); at most 255 bytes; keys starting `schedule:` are the scheduler's.")],
                     requestBody: ["application/json": ref("StartExecution")],
                     responses: [(201, "Started", "Execution"), (200, "Already started with this Idempotency-Key", "Execution"),
                                 (400, "Malformed body or Idempotency-Key", "Error"), (403, "Viewer role", "Error"),
                                 (404, "No such workflow or version", "Error"),
                                 (409, "The Idempotency-Key started another workflow or version", "Error"),
                                 (422, "The input is not acceptable", "Error"),
                                 (429, "Rate limited, or too_many_unfinished: you have as many unfinished executions as allowed", "Error")]),
        APIOperation(method: .get, path: "/v1/executions", id: "listExecutions", summary: "Executions, newest first, filtered, one page at a time.",
                     tag: "executions", authenticated: true,
                     parameters: [
                        .query("status", "Comma-separated statuses, e.g. RUNNING,FAILED."), .query("workflow_id", "Only runs of this workflow."),
                        .query("workflow", "Only runs of workflows with this name."),
                        .query("created_after", "ISO 8601 time (inclusive).", schema: ["type": "string", "format": "date-time"]),
                        .query("created_before", "ISO 8601 time (exclusive).", schema: ["type": "string", "format": "date-time"]),
                        .query("limit", "Page size, 1–500 (default 50).", schema: ["type": "integer", "minimum": 1, "maximum": 500]),
                        .query("cursor", "The next_cursor of the previous page."),
                     ],
                     responses: [(200, "A page", "ExecutionPage"), (400, "A bad query parameter", "Error")]),
        APIOperation(method: .get, path: "/v1/executions/{id}", id: "getExecution", summary: "An execution.", tag: "executions",
                     authenticated: true, parameters: [id], responses: [(200, "The execution", "Execution"), (404, "Not found", "Error")]),
        APIOperation(method: .get, path: "/v1/executions/{id}/transitions", id: "listTransitions", summary: "Transitions after a sequence number.",
                     tag: "executions", authenticated: true,
                     parameters: [id, .query("after", "Only transitions with a greater sequence (default 0).", schema: ["type": "integer", "minimum": 0])],
                     responses: [(200, "Transitions in order", "TransitionList"), (400, "Bad `after`", "Error"), (404, "Not found", "Error")]),
        APIOperation(method: .get, path: "/v1/executions/{id}/stream", id: "streamTransitions",
                     summary: "WebSocket: each transition after `after` as a JSON text message (a Transition), closing once the execution is terminal.",
                     tag: "executions", authenticated: true,
                     parameters: [id, .query("after", "Resume after this sequence (default 0).", schema: ["type": "integer", "minimum": 0]),
                                  .query("access_token", "The bearer token, for clients that cannot set headers on a WebSocket.")],
                     responses: [(101, "Switching protocols; messages are Transition objects", nil), (404, "Not found", "Error"),
                                 (426, "Not a WebSocket upgrade", "Error")]),

        APIOperation(method: .post, path: "/v1/executions/{id}/cancel", id: "cancelExecution", summary: "Cancel a running execution.",
                     tag: "actions", authenticated: true, parameters: [id], requestBody: ["application/json": ref("CancelRequest")], responses: executionBody),
        APIOperation(method: .post, path: "/v1/executions/{id}/pause", id: "pauseExecution", summary: "Pause: running tasks finish, nothing new starts.",
                     tag: "actions", authenticated: true, parameters: [id], responses: executionBody),
        APIOperation(method: .post, path: "/v1/executions/{id}/resume", id: "resumeExecution", summary: "Resume a paused execution.",
                     tag: "actions", authenticated: true, parameters: [id], responses: executionBody),
        APIOperation(method: .post, path: "/v1/executions/{id}/retry", id: "retryExecution",
                     summary: "Start a new execution retrying a failed, cancelled or timed-out one.", tag: "actions", authenticated: true,
                     parameters: [id], requestBody: ["application/json": ref("RetryRequest")],
                     responses: [(201, "The new execution, with retry_of", "Execution"), (403, "Viewer role", "Error"), (404, "Not found", "Error"),
                                 (409, "The execution did not end unsuccessfully", "Error"), (422, "Bad state or input", "Error"),
                                 (429, "Rate limited, or too_many_unfinished", "Error")]),
        APIOperation(method: .post, path: "/v1/executions/{id}/signals/{name}", id: "signalExecution",
                     summary: "Send a named signal; the body (any JSON) is its payload.", tag: "actions", authenticated: true,
                     parameters: [id, .path("name", "The signal's name.")], requestBody: ["application/json": [:]], responses: executionBody),
        APIOperation(method: .post, path: "/v1/executions/{id}/approve", id: "approveExecution", summary: "Approve the waiting approval.",
                     tag: "actions", authenticated: true, parameters: [id], requestBody: ["application/json": ref("DecisionRequest")], responses: executionBody),
        APIOperation(method: .post, path: "/v1/executions/{id}/reject", id: "rejectExecution", summary: "Reject the waiting approval.",
                     tag: "actions", authenticated: true, parameters: [id], requestBody: ["application/json": ref("DecisionRequest")], responses: executionBody),
    ]

    /// The whole document.
    static let document: JSONValue = {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in operations { paths[operation.path, default: [:]][operation.method.rawValue.lowercased()] = operation.json }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "LazyRabbit coordinator API", "version": "1.0.0",
                "description": "Workflows, executions and operator actions. Errors always have the shape {\"error\": {\"code\", \"message\", \"details\"}}.",
            ],
            "paths": .object(paths.mapValues(JSONValue.object)),
            "components": ["securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]], "schemas": .object(OpenAPISchemas.all)],
        ]
    }()

    /// The documented (method, path) pairs.
    static var routes: [(method: HTTPRequest.Method, path: String)] {
        operations.map { ($0.method, $0.path) }
    }
}
