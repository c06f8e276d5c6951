import WorkflowJSON

/// The wire shape of a callback, as workers in any language read it: an object with a `type`
/// discriminator and the DSL's snake_case field names (`docs/protocol.md`).
extension Callback {
    private enum Keys: String, CodingKey {
        case type, method, url, headers, query, body, durationMilliseconds = "duration_ms", set, message, level,
            workflow, input, name, queue, prompt, system, model, temperature, maxTokens = "max_tokens", schema
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "http":
            self = .http(HTTPCallback(
                method: try container.decodeIfPresent(String.self, forKey: .method) ?? "GET",
                url: try container.decode(String.self, forKey: .url),
                headers: try container.decodeIfPresent([String: String].self, forKey: .headers) ?? [:],
                query: try container.decodeIfPresent([String: String].self, forKey: .query) ?? [:],
                body: try container.decodeIfPresent(JSONValue.self, forKey: .body)))
        case "delay":
            self = .delay(DelayCallback(duration: WorkflowDuration(milliseconds: try container.decode(Int64.self, forKey: .durationMilliseconds))))
        case "transform":
            self = .transform(TransformCallback(set: try container.decode([TransformCallback.Assignment].self, forKey: .set)))
        case "log":
            self = .log(LogCallback(
                message: try container.decode(String.self, forKey: .message),
                level: try container.decodeIfPresent(LogCallback.Level.self, forKey: .level) ?? .info))
        case "workflow":
            self = .workflow(ChildWorkflowCallback(
                workflow: try container.decode(String.self, forKey: .workflow), input: try container.decodeIfPresent(JSONValue.self, forKey: .input)))
        case "handler":
            self = .handler(HandlerCallback(
                name: try container.decode(String.self, forKey: .name), input: try container.decodeIfPresent(JSONValue.self, forKey: .input),
                queue: try container.decodeIfPresent(String.self, forKey: .queue)))
        case "llm":
            self = .llm(LLMCallback(
                prompt: try container.decode(String.self, forKey: .prompt), system: try container.decodeIfPresent(String.self, forKey: .system),
                model: try container.decodeIfPresent(String.self, forKey: .model), temperature: try container.decodeIfPresent(Double.self, forKey: .temperature),
                maxTokens: try container.decodeIfPresent(Int.self, forKey: .maxTokens), schema: try container.decodeIfPresent(JSONValue.self, forKey: .schema)))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown callback type `\(type)`")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(typeName, forKey: .type)
        switch self {
        case .http(let http):
            try container.encode(http.method, forKey: .method)
            try container.encode(http.url, forKey: .url)
            try container.encode(http.headers, forKey: .headers)
            try container.encode(http.query, forKey: .query)
            try container.encodeIfPresent(http.body, forKey: .body)
        case .delay(let delay):
            try container.encode(delay.duration.milliseconds, forKey: .durationMilliseconds)
        case .transform(let transform):
            try container.encode(transform.set, forKey: .set)
        case .log(let log):
            try container.encode(log.message, forKey: .message)
            try container.encode(log.level, forKey: .level)
        case .workflow(let child):
            try container.encode(child.workflow, forKey: .workflow)
            try container.encodeIfPresent(child.input, forKey: .input)
        case .handler(let handler):
            try container.encode(handler.name, forKey: .name)
            try container.encodeIfPresent(handler.input, forKey: .input)
            try container.encodeIfPresent(handler.queue, forKey: .queue)
        case .llm(let llm):
            try container.encode(llm.prompt, forKey: .prompt)
            try container.encodeIfPresent(llm.system, forKey: .system)
            try container.encodeIfPresent(llm.model, forKey: .model)
            try container.encodeIfPresent(llm.temperature, forKey: .temperature)
            try container.encodeIfPresent(llm.maxTokens, forKey: .maxTokens)
            try container.encodeIfPresent(llm.schema, forKey: .schema)
        }
    }
}
