import WorkflowDSL
import WorkflowExpressions
import WorkflowJSON

extension Callback {
    /// How often each secret is referenced (`${secret.NAME}`) in the fields a worker substitutes
    /// secrets into: an http call's url, query values, header values and body, a log message, a
    /// handler's input.
    var secretReferenceCounts: [String: Int] {
        var counts: [String: Int] = [:]
        func countText(_ text: String) {
            guard text.utf8.contains(UInt8(ascii: "$")) else { return }  // most strings: one quick scan
            for name in Template.secretReferences(in: text) { counts[name, default: 0] += 1 }
        }
        func countValue(_ value: JSONValue) {
            switch value {
            case .string(let text): countText(text)
            case .array(let elements): elements.forEach(countValue)
            case .object(let members): members.values.forEach(countValue)
            default: break
            }
        }
        switch self {
        case .http(let http):
            countText(http.url)
            http.query.values.forEach(countText)
            http.headers.values.forEach(countText)
            http.body.map(countValue)
        case .log(let log):
            countText(log.message)
        case .handler(let handler):
            handler.input.map(countValue)
        case .delay, .transform, .workflow, .llm:
            break
        }
        return counts
    }
}
