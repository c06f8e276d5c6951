public import WorkflowJSON

/// The callback's wire shape (``Callback``'s `Encodable` conformance, `Callback+Codable.swift`)
/// written by hand: it is part of every task message and snapshot. Held to the `Encodable` output
/// by `HandWrittenWireTests`.
extension Callback {
    /// Writes this callback as one JSON object.
    public func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.key("type"); object.string(typeName)
            switch self {
            case .http(let http):
                object.key("method"); object.string(http.method)
                object.key("url"); object.string(http.url)
                object.key("headers"); object.object(http.headers) { $0.string($1) }
                object.key("query"); object.object(http.query) { $0.string($1) }
                if let body = http.body { object.key("body"); object.value(body) }
            case .delay(let delay):
                object.key("duration_ms"); object.integer(delay.duration.milliseconds)
            case .transform(let transform):
                object.key("set")
                object.array { list in
                    for assignment in transform.set {
                        list.object { member in
                            member.key("path"); member.string(assignment.path)
                            member.key("value"); member.value(assignment.value)
                        }
                    }
                }
            case .log(let log):
                object.key("message"); object.string(log.message)
                object.key("level"); object.string(log.level.rawValue)
            case .workflow(let child):
                object.key("workflow"); object.string(child.workflow)
                if let input = child.input { object.key("input"); object.value(input) }
            case .handler(let handler):
                object.key("name"); object.string(handler.name)
                if let input = handler.input { object.key("input"); object.value(input) }
                if let queue = handler.queue { object.key("queue"); object.string(queue) }
            case .llm(let llm):
                object.key("prompt"); object.string(llm.prompt)
                if let system = llm.system { object.key("system"); object.string(system) }
                if let model = llm.model { object.key("model"); object.string(model) }
                if let temperature = llm.temperature { object.key("temperature"); object.double(temperature) }
                if let maxTokens = llm.maxTokens { object.key("max_tokens"); object.integer(maxTokens) }
                if let schema = llm.schema { object.key("schema"); object.value(schema) }
            }
        }
    }
}
