public import WorkflowJSON

/// Checks a value against the part of JSON Schema an `llm` callback's `schema` uses: `type`
/// (`object`, `array`, `string`, `number`, `integer`, `boolean`, `null`, or a list of them),
/// `properties`, `required`, `items` and `enum`. Other keywords are ignored.
///
/// ```swift
/// let problems = JSONShape(["type": "object", "required": ["summary"]]).problems(in: answer)
/// ```
public struct JSONShape: Sendable {
    public let schema: JSONValue

    public init(_ schema: JSONValue) {
        self.schema = schema
    }

    /// Every place where `value` breaks the schema (`$.items[2]: expected string, got integer`); empty when it fits.
    public func problems(in value: JSONValue) -> [String] {
        var problems: [String] = []
        Self.check(value, against: schema, at: "$", into: &problems)
        return problems
    }

    private static func check(_ value: JSONValue, against schema: JSONValue, at path: String, into problems: inout [String]) {
        guard problems.count < 20 else { return }
        if let types = (schema["type"]?.stringValue.map { [$0] } ?? schema["type"]?.arrayValue?.compactMap(\.stringValue)),
           !types.contains(where: { matches(value, type: $0) }) {
            problems.append("\(path): expected \(types.joined(separator: " or ")), got \(schemaType(of: value))")
            return
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            problems.append("\(path): \(value.encodedString()) is not one of \(JSONValue.array(allowed).encodedString())")
        }
        if case .object(let members) = value {
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                problems.append("\(path): `\(name)` is required")
            }
            for (name, propertySchema) in (schema["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let member = members[name] { check(member, against: propertySchema, at: "\(path).\(name)", into: &problems) }
            }
        }
        if case .array(let elements) = value, let itemSchema = schema["items"] {
            for (index, element) in elements.enumerated() { check(element, against: itemSchema, at: "\(path)[\(index)]", into: &problems) }
        }
    }

    /// The JSON Schema name of `value`'s type.
    private static func schemaType(of value: JSONValue) -> String {
        switch value {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .integer: "integer"
        case .double: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null): true
        case ("number", .integer), ("number", .double), ("integer", .integer): true
        case ("integer", .double(let number)): number.rounded() == number
        default: false
        }
    }
}
