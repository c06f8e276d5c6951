import HTTPTypes
import WorkflowJSON

/// One documented operation of the API: the data ``OpenAPIDocument`` renders, and the table the
/// router is checked against.
struct APIOperation: Sendable {
    /// A path or query parameter.
    struct Parameter: Sendable {
        var name: String
        var location: String
        var required: Bool
        var schema: JSONValue
        var description: String

        static func path(_ name: String, _ description: String, schema: JSONValue = ["type": "string"]) -> Parameter {
            Parameter(name: name, location: "path", required: true, schema: schema, description: description)
        }

        static func query(_ name: String, _ description: String, schema: JSONValue = ["type": "string"]) -> Parameter {
            Parameter(name: name, location: "query", required: false, schema: schema, description: description)
        }

        static func header(_ name: String, _ description: String) -> Parameter {
            Parameter(name: name, location: "header", required: false, schema: ["type": "string"], description: description)
        }
    }

    var method: HTTPRequest.Method
    var path: String
    var id: String
    var summary: String
    var tag: String
    /// Whether a bearer token is required (every `/v1` route).
    var authenticated: Bool
    var parameters: [Parameter] = []
    /// The request body's content, by media type, when there is one.
    var requestBody: [String: JSONValue]? = nil
    /// Status code → (description, schema component name or nil).
    var responses: [(Int, String, String?)]

    /// The operation as an OpenAPI 3.1 Operation Object.
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "operationId": .string(id), "summary": .string(summary), "tags": [.string(tag)],
        ]
        if !parameters.isEmpty {
            object["parameters"] = .array(parameters.map { parameter in
                [
                    "name": .string(parameter.name), "in": .string(parameter.location), "required": .bool(parameter.required),
                    "schema": parameter.schema, "description": .string(parameter.description),
                ]
            })
        }
        if let requestBody {
            object["requestBody"] = ["required": false, "content": .object(requestBody.mapValues { ["schema": $0] })]
        }
        var responses: [String: JSONValue] = [:]
        var all = self.responses
        if authenticated { all += [(401, "Missing or invalid bearer token", "Error"), (429, "Rate limit exceeded", "Error")] }
        all.append((500, "Internal error", "Error"))
        for (status, description, schema) in all {
            var response: [String: JSONValue] = ["description": .string(description)]
            if let schema {
                let mediaType = schema == "PrometheusText" ? "text/plain" : "application/json"
                response["content"] = [mediaType: ["schema": schema == "PrometheusText" ? ["type": "string"] : OpenAPIDocument.ref(schema)]]
            }
            responses[String(status)] = .object(response)
        }
        object["responses"] = .object(responses)
        object["security"] = authenticated ? [["bearer": []]] : []
        return .object(object)
    }
}
