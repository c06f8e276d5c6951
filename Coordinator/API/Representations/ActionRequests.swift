import WorkflowJSON

/// `POST /v1/workflows/{id}/executions`.
struct StartExecutionRequest: Decodable {
    var input: JSONValue?
    var version: Int?
}

/// `POST /v1/executions/{id}/cancel`.
struct CancelRequest: Decodable {
    var reason: String?
}

/// `POST /v1/executions/{id}/retry`.
struct RetryRequest: Decodable {
    var fromState: String?
    var input: JSONValue?

    enum CodingKeys: String, CodingKey {
        case fromState = "from_state", input
    }
}

/// `POST /v1/executions/{id}/approve` and `/reject`.
struct DecisionRequest: Decodable {
    var state: String?
    var comment: String?
}

/// `POST /v1/workflows` and `/versions` with the JSON envelope `{"definition": "<text>"}`.
struct DefinitionEnvelope: Decodable {
    var definition: String
}
