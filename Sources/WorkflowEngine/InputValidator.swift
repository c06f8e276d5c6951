import WorkflowDSL
import WorkflowJSON

/// The input of an execution did not match the workflow's `input` schema.
public struct InputValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every problem, one per field.
    public var problems: [String]

    public var description: String { "invalid input: " + problems.joined(separator: "; ") }
}

/// Checks an execution's input against the workflow's `input` schema and fills in defaults.
struct InputValidator {
    let schema: InputSchema?

    func validate(_ input: JSONValue) throws(InputValidationError) -> JSONValue {
        let given: [String: JSONValue]
        switch input {
        case .object(let object): given = object
        case .null: given = [:]
        default: throw InputValidationError(problems: ["the input must be a JSON object, got \(input.typeName)"])
        }
        guard let schema else { return .object(given) }
        var result = given
        var problems: [String] = []
        for field in schema.fields {
            guard let value = given[field.name], !value.isNull else {
                if let defaultValue = field.defaultValue {
                    result[field.name] = defaultValue
                } else if field.required {
                    problems.append("`\(field.name)` is required" + (field.description.map { " (\($0))" } ?? ""))
                }
                continue
            }
            if !Self.matches(value, field.type) {
                problems.append("`\(field.name)` must be \(field.type.rawValue), got \(value.typeName)")
            }
        }
        guard problems.isEmpty else { throw InputValidationError(problems: problems) }
        return .object(result)
    }

    private static func matches(_ value: JSONValue, _ type: InputSchema.FieldType) -> Bool {
        switch (type, value) {
        case (.any, _), (.string, .string), (.boolean, .bool), (.integer, .integer), (.number, .integer),
            (.number, .double), (.object, .object), (.array, .array):
            true
        default:
            false
        }
    }
}
