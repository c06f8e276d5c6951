import WorkflowJSON
import Yams

/// Typed access to the fields of one YAML mapping. Every accessor reports what is wrong
/// (missing, wrong type, bad value) to the ``ParseContext`` and returns `nil`, so parsing goes on.
struct MappingReader {
    /// One field: its key, its value and its path.
    struct Entry {
        var key: String
        var value: Node
        var path: String
    }

    let context: ParseContext
    let path: String
    /// How the mapping is named in messages ("state `validate`").
    let owner: String
    let node: Node
    let entries: [Entry]

    /// The value of `key`, reporting `missing_field` when it is absent and `required`.
    func value(_ key: String, required: Bool = false) -> Node? {
        if let entry = entries.first(where: { $0.key == key }) { return entry.value }
        if required {
            context.report("missing_field", "\(owner) is missing the required field `\(key)`", path: FieldPath.join(path, key), at: node)
        }
        return nil
    }

    func contains(_ key: String) -> Bool { entries.contains { $0.key == key } }

    func fieldPath(_ key: String) -> String { FieldPath.join(path, key) }

    private func typeError(_ key: String, _ expected: String, _ node: Node) {
        context.report("invalid_type", "`\(key)` must be \(expected), got \(ParseContext.typeName(of: node))", path: fieldPath(key), at: node)
    }

    /// A string field. Numbers and booleans written bare are refused, so `name: 123` is reported.
    func string(_ key: String, required: Bool = false) -> String? {
        guard let node = value(key, required: required) else { return nil }
        guard case .scalar(let scalar) = node, ParseContext.typeName(of: node) == "string" else {
            typeError(key, "a string", node)
            return nil
        }
        return scalar.string
    }

    /// A string field that also accepts bare numbers and booleans (`output`, `error`, `signal`).
    func text(_ key: String, required: Bool = false) -> String? {
        guard let node = value(key, required: required) else { return nil }
        guard case .scalar(let scalar) = node, ParseContext.typeName(of: node) != "null" else {
            typeError(key, "a string", node)
            return nil
        }
        return scalar.string
    }

    func int(_ key: String, required: Bool = false) -> Int? {
        guard let node = value(key, required: required) else { return nil }
        guard node.tagName == .int, let number = node.int else {
            typeError(key, "an integer", node)
            return nil
        }
        return number
    }

    func double(_ key: String) -> Double? {
        guard let node = value(key) else { return nil }
        guard node.tagName == .int || node.tagName == .float, let number = node.float else {
            typeError(key, "a number", node)
            return nil
        }
        return number
    }

    func bool(_ key: String) -> Bool? {
        guard let node = value(key) else { return nil }
        guard node.tagName == .bool, let flag = node.bool else {
            typeError(key, "a boolean (true or false)", node)
            return nil
        }
        return flag
    }

    /// A duration (`30s`, `1h30m`, `500ms`, or a bare number of seconds).
    func duration(_ key: String, required: Bool = false) -> WorkflowDuration? {
        guard let node = value(key, required: required) else { return nil }
        guard case .scalar(let scalar) = node, let duration = WorkflowDuration(parsing: scalar.string) else {
            context.report(
                "invalid_duration", "`\(key)` must be a duration, got `\(node.scalar?.string ?? ParseContext.typeName(of: node))`",
                path: fieldPath(key), at: node, hint: "write durations like `500ms`, `30s`, `5m`, `2h`, `1d` or `1h30m`")
            return nil
        }
        guard duration <= .longest else {
            context.report(
                "invalid_duration", "`\(key)` must be at most \(WorkflowDuration.longest) (100 years), got `\(scalar.string)`",
                path: fieldPath(key), at: node, hint: "for a longer wait, loop over a shorter one")
            return nil
        }
        return duration
    }

    /// One of `allowed` (an enum field such as `backoff` or `level`), with a did-you-mean hint.
    func choice(_ key: String, among allowed: [String]) -> String? {
        guard let text = text(key) else { return nil }
        guard allowed.contains(text) else {
            context.report(
                "invalid_value", "`\(key)` must be one of \(allowed.map { "`\($0)`" }.joined(separator: ", ")), got `\(text)`",
                path: fieldPath(key), at: value(key), hint: Suggestion.hint(for: text, in: allowed))
            return nil
        }
        return text
    }

    /// A list of strings.
    func stringList(_ key: String, required: Bool = false) -> [String]? {
        guard let node = value(key, required: required) else { return nil }
        guard case .sequence(let sequence) = node else {
            typeError(key, "a list of strings", node)
            return nil
        }
        var strings: [String] = []
        for (index, element) in sequence.enumerated() {
            guard context.admits(element, path: FieldPath.index(fieldPath(key), index)) else { continue }
            guard case .scalar(let scalar) = element, ParseContext.typeName(of: element) != "null" else {
                context.report("invalid_type", "`\(key)` must be a list of strings, got a \(ParseContext.typeName(of: element)) element",
                               path: FieldPath.index(fieldPath(key), index), at: element)
                continue
            }
            strings.append(scalar.string)
        }
        return strings
    }

    /// A mapping of strings to strings (`headers`, `query`); numbers and booleans are taken as written.
    func stringMap(_ key: String) -> [String: String]? {
        guard let node = value(key), let inner = context.mapping(node, path: fieldPath(key), owner: "`\(key)`", fields: nil) else { return nil }
        var result: [String: String] = [:]
        for entry in inner.entries {
            guard case .scalar(let scalar) = entry.value, ParseContext.typeName(of: entry.value) != "null" else {
                context.report("invalid_type", "values in `\(key)` must be strings, got \(ParseContext.typeName(of: entry.value))", path: entry.path, at: entry.value)
                continue
            }
            result[entry.key] = scalar.string
        }
        return result
    }

    /// Any JSON value (`body`, `input`, `result`, `schema`).
    func json(_ key: String, required: Bool = false) -> JSONValue? {
        value(key, required: required).map { context.json(from: $0, path: fieldPath(key)) }
    }

    /// A nested mapping read with its own known fields.
    func mapping(_ key: String, owner: String, fields: [String], required: Bool = false) -> MappingReader? {
        value(key, required: required).flatMap { context.mapping($0, path: fieldPath(key), owner: owner, fields: fields) }
    }

    /// A list whose elements are read by `read` with their paths.
    func list<Element>(_ key: String, required: Bool = false, _ read: (Node, String) -> Element?) -> [Element]? {
        guard let node = value(key, required: required) else { return nil }
        guard case .sequence(let sequence) = node else {
            typeError(key, "a list", node)
            return nil
        }
        return sequence.enumerated().compactMap { index, element in
            let elementPath = FieldPath.index(fieldPath(key), index)
            guard context.admits(element, path: elementPath) else { return nil }
            context.record(elementPath, element)
            return read(element, elementPath)
        }
    }
}

extension ParseContext {
    /// Converts any node to a JSON value, keeping mapping keys and dropping aliases.
    func json(from node: Node, path: String) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch node.tagName {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int: return node.int.map(JSONValue.integer) ?? .string(scalar.string)
            case .float: return node.float.map(JSONValue.double) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            return .array(sequence.enumerated().compactMap { index, element in
                let elementPath = FieldPath.index(path, index)
                guard admits(element, path: elementPath) else { return nil }
                record(elementPath, element)
                return json(from: element, path: elementPath)
            })
        case .mapping:
            guard let reader = mapping(node, path: path, owner: "`\(path)`", fields: nil) else { return .null }
            return .object(Dictionary(reader.entries.map { ($0.key, json(from: $0.value, path: $0.path)) }, uniquingKeysWith: { first, _ in first }))
        case .alias:
            return .null
        }
    }
}
