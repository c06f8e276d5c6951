import WorkflowJSON

/// A string of a state that may hold `${...}` templates or literal credentials, with where it is.
struct TextField {
    /// The full field path (`states.call.callback.headers.Authorization`).
    var path: String
    /// The object key or header name the string is stored under, if any.
    var key: String?
    var text: String
    /// `true` for HTTP header values.
    var isHeader = false

    /// The template-bearing strings of `state`: callback fields, `pass`/`succeed` results,
    /// the `fail` cause and the approval message.
    static func all(in state: StateDefinition, path: String) -> [TextField] {
        func at(_ field: String) -> String { FieldPath.join(path, field) }
        switch state.kind {
        case .task(let callback):
            return callbackFields(callback, path: at("callback"))
        case .succeed(let result), .pass(let result):
            return result.map { strings(in: $0, path: at("result"), key: nil) } ?? []
        case .fail(let fail):
            return fail.cause.map { [TextField(path: at("cause"), text: $0)] } ?? []
        case .approval(let approval):
            return approval.message.map { [TextField(path: at("message"), text: $0)] } ?? []
        default:
            return []
        }
    }

    private static func callbackFields(_ callback: Callback, path: String) -> [TextField] {
        func at(_ field: String) -> String { FieldPath.join(path, field) }
        func json(_ value: JSONValue?, _ field: String) -> [TextField] { value.map { strings(in: $0, path: at(field), key: nil) } ?? [] }
        switch callback {
        case .http(let http):
            let headers = http.headers.sorted { $0.key < $1.key }.map {
                TextField(path: FieldPath.join(at("headers"), $0.key), key: $0.key, text: $0.value, isHeader: true)
            }
            let query = http.query.sorted { $0.key < $1.key }.map { TextField(path: FieldPath.join(at("query"), $0.key), key: $0.key, text: $0.value) }
            return [TextField(path: at("url"), text: http.url)] + headers + query + json(http.body, "body")
        case .transform(let transform):
            return transform.set.flatMap { strings(in: $0.value, path: FieldPath.join(at("set"), $0.path), key: $0.path) }
        case .log(let log):
            return [TextField(path: at("message"), text: log.message)]
        case .workflow(let child):
            return json(child.input, "input")
        case .handler(let handler):
            return json(handler.input, "input")
        case .llm(let llm):
            return [TextField(path: at("prompt"), text: llm.prompt)] + (llm.system.map { [TextField(path: at("system"), text: $0)] } ?? [])
        case .delay:
            return []
        }
    }

    /// Every string inside `value`, with the key it is stored under.
    static func strings(in value: JSONValue, path: String, key: String?) -> [TextField] {
        switch value {
        case .string(let text):
            return [TextField(path: path, key: key, text: text)]
        case .array(let elements):
            return elements.enumerated().flatMap { strings(in: $1, path: FieldPath.index(path, $0), key: key) }
        case .object(let members):
            return members.sorted { $0.key < $1.key }.flatMap { strings(in: $0.value, path: FieldPath.join(path, $0.key), key: $0.key) }
        default:
            return []
        }
    }
}
