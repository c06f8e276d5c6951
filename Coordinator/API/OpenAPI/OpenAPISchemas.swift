import WorkflowJSON

/// The schema components of ``OpenAPIDocument``.
enum OpenAPISchemas {
    private static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        ["type": "object", "properties": .object(properties), "required": .array(required.map(JSONValue.string))]
    }

    private static let string: JSONValue = ["type": "string"]
    private static let nullableString: JSONValue = ["type": ["string", "null"]]
    private static let integer: JSONValue = ["type": "integer"]
    private static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    private static let any: JSONValue = [:]

    static let all: [String: JSONValue] = [
        "Error": object([
            "error": object(["code": string, "message": string, "details": any], required: ["code", "message", "details"]),
        ], required: ["error"]),
        "Status": object(["status": string, "checks": ["type": "object", "additionalProperties": string]], required: ["status"]),
        "DefinitionEnvelope": object(["definition": ["type": "string", "description": "The definition as YAML or JSON text."]], required: ["definition"]),
        "DraftRequest": object([
            "description": ["type": "string", "maxLength": 8192, "description": "What the workflow should do, in plain language (at most 8192 bytes)."],
            "name": ["type": "string", "minLength": 1, "maxLength": 128, "description": "The name the workflow must have."],
            "store": ["type": "boolean", "description": "Store the draft as a new workflow when it is valid (201)."],
        ], required: ["description"]),
        "WorkflowDraft": object([
            "source": string, "valid": ["type": "boolean"], "attempts": integer, "diagnostics": ["type": "array", "items": ["type": "object"]],
            "usage": object(["prompt_tokens": integer, "completion_tokens": integer]),
        ], required: ["source", "valid", "attempts", "diagnostics", "usage"]),
        "WorkflowVersion": object([
            "workflow_id": string, "version": integer, "source": string, "created_by": string, "created_at": dateTime,
        ], required: ["workflow_id", "version", "source", "created_by", "created_at"]),
        "Workflow": object([
            "id": string, "name": string, "owner": string, "latest_version": integer, "created_at": dateTime, "updated_at": dateTime,
        ], required: ["id", "name", "owner", "latest_version", "created_at", "updated_at"]),
        "WorkflowDetail": [
            "allOf": [
                OpenAPIDocument.ref("Workflow"),
                object([
                    "latest": OpenAPIDocument.ref("WorkflowVersion"),
                    "schedule": ["oneOf": [OpenAPIDocument.ref("Schedule"), ["type": "null"]]],
                ], required: ["latest", "schedule"]),
            ],
        ],
        "Schedule": object([
            "cron": string, "timezone": string, "overlap": ["type": "string", "enum": ["skip", "allow", "buffer_one"]],
            "catch_up": ["type": "string", "enum": ["none", "latest", "all"]], "input": any,
            "next_fire_at": ["type": ["string", "null"], "format": "date-time", "description": "The next tick; null when the schedule never fires again."],
        ], required: ["cron", "timezone", "overlap", "catch_up", "input", "next_fire_at"]),
        "WorkflowList": object(
            ["workflows": ["type": "array", "items": OpenAPIDocument.ref("Workflow")], "next_cursor": nullableString],
            required: ["workflows", "next_cursor"]),
        "StartExecution": object(["input": ["type": "object"], "version": ["type": "integer", "minimum": 1]]),
        "CancelRequest": object(["reason": string]),
        "RetryRequest": object(["from_state": string, "input": any]),
        "DecisionRequest": object(["state": string, "comment": string]),
        "Execution": object([
            "id": string,
            "status": ["type": "string", "enum": ["PENDING", "RUNNING", "RECOVERING", "WAITING", "PAUSED", "COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"]],
            "sequence": integer, "input": any, "output": any, "error": any, "owner": nullableString, "workflow_id": nullableString,
            "workflow_version": ["type": ["integer", "null"]], "workflow_name": string, "parent_id": nullableString,
            "idempotency_key": nullableString, "retry_of": string, "created_at": dateTime, "updated_at": dateTime,
        ], required: ["id", "status", "sequence", "input", "output", "error", "workflow_name", "created_at", "updated_at"]),
        "ExecutionPage": object([
            "executions": ["type": "array", "items": OpenAPIDocument.ref("Execution")], "next_cursor": nullableString,
        ], required: ["executions", "next_cursor"]),
        "Transition": object([
            "execution_id": string, "sequence": integer, "thread": string, "from_state": nullableString, "to_state": nullableString,
            "kind": string, "at": dateTime, "details": any,
        ], required: ["execution_id", "sequence", "thread", "kind", "at", "details"]),
        "TransitionList": object(["transitions": ["type": "array", "items": OpenAPIDocument.ref("Transition")]], required: ["transitions"]),
    ]
}
