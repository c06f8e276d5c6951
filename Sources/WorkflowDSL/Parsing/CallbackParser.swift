import WorkflowJSON
import Yams

/// Reads the `callback` of a `task` state.
struct CallbackParser {
    let context: ParseContext

    /// The fields each callback type accepts besides `type`.
    static let typeFields: [String: [String]] = [
        "http": ["method", "url", "headers", "query", "body"],
        "delay": ["duration"],
        "transform": ["set"],
        "log": ["message", "level"],
        "workflow": ["workflow", "input"],
        "handler": ["name", "input", "queue"],
        "llm": ["prompt", "system", "model", "temperature", "max_tokens", "schema"],
    ]

    static let httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    func callback(_ node: Node, path: String) -> Callback? {
        let typeName = node.mapping?["type"]?.scalar?.string
        let known = typeName.flatMap { Self.typeFields[$0] }
        let fields = ["type"] + (known ?? Self.typeFields.values.flatMap { $0 })
        guard let callback = context.mapping(node, path: path, owner: "the callback", fields: fields) else { return nil }
        guard let typeName = callback.string("type", required: true) else { return nil }
        switch typeName {
        case "http":
            let method = callback.string("method")?.uppercased() ?? "GET"
            if !Self.httpMethods.contains(method) {
                context.report("invalid_value", "unknown HTTP method `\(method)`", path: callback.fieldPath("method"), at: callback.value("method"),
                               hint: Suggestion.hint(for: method, in: Self.httpMethods) ?? "methods are \(Self.httpMethods.joined(separator: ", "))")
            }
            return .http(HTTPCallback(method: method, url: callback.string("url", required: true) ?? "", headers: callback.stringMap("headers") ?? [:],
                                      query: callback.stringMap("query") ?? [:], body: callback.json("body")))
        case "delay":
            return callback.duration("duration", required: true).map { .delay(DelayCallback(duration: $0)) }
        case "transform":
            return .transform(TransformCallback(set: assignments(callback)))
        case "log":
            let level = callback.choice("level", among: LogCallback.Level.allCases.map(\.rawValue)).flatMap(LogCallback.Level.init) ?? .info
            return .log(LogCallback(message: callback.string("message", required: true) ?? "", level: level))
        case "workflow":
            return .workflow(ChildWorkflowCallback(workflow: callback.string("workflow", required: true) ?? "", input: callback.json("input")))
        case "handler":
            return .handler(HandlerCallback(name: callback.string("name", required: true) ?? "", input: callback.json("input"),
                                            queue: callback.string("queue")))
        case "llm":
            let llm = LLMCallback(
                prompt: callback.string("prompt", required: true) ?? "", system: callback.string("system"), model: callback.string("model"),
                temperature: callback.double("temperature"), maxTokens: callback.int("max_tokens"), schema: callback.json("schema"))
            if let temperature = llm.temperature, !(0...2).contains(temperature) {
                context.report("invalid_value", "`temperature` must be from 0 to 2, got \(temperature)", path: callback.fieldPath("temperature"),
                               at: callback.value("temperature"))
            }
            if let maxTokens = llm.maxTokens, maxTokens < 1 {
                context.report("invalid_value", "`max_tokens` must be at least 1, got \(maxTokens)", path: callback.fieldPath("max_tokens"),
                               at: callback.value("max_tokens"))
            }
            if let schema = llm.schema, schema.objectValue == nil {
                context.report("invalid_value", "`schema` must be a JSON Schema object, like { type: object, properties: { ... } }",
                               path: callback.fieldPath("schema"), at: callback.value("schema"))
            }
            return .llm(llm)
        default:
            context.report(
                "unknown_callback_type", "unknown callback type `\(typeName)`", path: callback.fieldPath("type"), at: callback.value("type"),
                hint: Suggestion.hint(for: typeName, in: Callback.allTypeNames) ?? "callback types are \(Callback.allTypeNames.joined(separator: ", "))")
            return nil
        }
    }

    /// `set: {path: value, ...}` in document order.
    private func assignments(_ callback: MappingReader) -> [TransformCallback.Assignment] {
        guard let node = callback.value("set", required: true),
            let set = context.mapping(node, path: callback.fieldPath("set"), owner: "`set`", fields: nil)
        else { return [] }
        return set.entries.map { .init(path: $0.key, value: context.json(from: $0.value, path: $0.path)) }
    }
}
