import Synchronization
public import WorkflowDSL
public import WorkflowExpressions
import WorkflowJSON
import WorkflowProtocol

/// A definition prepared for execution: states indexed by name across every graph, and parsed
/// expressions and templates cached so the hot path never parses twice.
public final class CompiledWorkflow: Sendable {
    public let definition: WorkflowDefinition
    /// Every state in the document (names are unique across graphs).
    let states: [String: StateDefinition]
    /// The default loop bound for states without `max_visits`.
    let defaultMaxVisits: Int
    let limits: ExpressionLimits
    /// Bounds on the values and the size of each execution.
    let executionLimits: ExecutionLimits
    private let expressions = Mutex<[String: Expression]>([:])
    private let templates = Mutex<[String: Template]>([:])

    /// Prepares `definition`; it should have passed ``WorkflowValidator`` (``WorkflowDocument/load(_:options:)``).
    public init(
        _ definition: WorkflowDefinition, defaultMaxVisits: Int = 1000, limits: ExpressionLimits = .default,
        executionLimits: ExecutionLimits = .default
    ) {
        self.definition = definition
        self.defaultMaxVisits = defaultMaxVisits
        self.limits = limits
        self.executionLimits = executionLimits
        var index: [String: StateDefinition] = [:]
        Self.collect(definition.graph, into: &index)
        self.states = index
    }

    private static func collect(_ graph: StateGraph, into index: inout [String: StateDefinition]) {
        for state in graph.orderedStates {
            index[state.name] = state
            switch state.kind {
            case .parallel(let parallel): parallel.branches.forEach { collect($0, into: &index) }
            case .map(let map): collect(map.iterator, into: &index)
            default: break
            }
        }
    }

    /// The state named `name`.
    func state(_ name: String) throws(TaskFailure) -> StateDefinition {
        guard let state = states[name] else {
            throw TaskFailure(errorClass: "invalid_definition", message: "state `\(name)` does not exist")
        }
        return state
    }

    /// Evaluates an expression, parsing it once per workflow.
    func evaluate(_ source: String, in scope: EvaluationScope) throws(TaskFailure) -> JSONValue {
        do {
            let expression = try expressions.withLock { cache throws(ExpressionError) -> Expression in
                if let cached = cache[source] { return cached }
                let parsed = try Expression(parsing: source, limits: limits)
                cache[source] = parsed
                return parsed
            }
            return try expression.evaluate(in: scope, limits: limits)
        } catch {
            throw TaskFailure(errorClass: "expression_error", message: "`\(source)`: \(error.message)")
        }
    }

    /// Renders every template inside `value`, parsing each string once per workflow.
    func render(_ value: JSONValue, in scope: EvaluationScope) throws(TaskFailure) -> JSONValue {
        switch value {
        case .string(let text):
            return try render(text, in: scope)
        case .array(let elements):
            var rendered: [JSONValue] = []
            rendered.reserveCapacity(elements.count)
            for element in elements { rendered.append(try render(element, in: scope)) }
            return .array(rendered)
        case .object(let members):
            var rendered: [String: JSONValue] = [:]
            for (key, member) in members { rendered[key] = try render(member, in: scope) }
            return .object(rendered)
        default:
            return value
        }
    }

    /// Renders one template string (plain strings are returned as they are).
    func render(_ text: String, in scope: EvaluationScope) throws(TaskFailure) -> JSONValue {
        guard !Template.isPlain(text) else { return .string(text) }
        do {
            let template = try templates.withLock { cache throws(ExpressionError) -> Template in
                if let cached = cache[text] { return cached }
                let parsed = try Template(parsing: text, limits: limits)
                cache[text] = parsed
                return parsed
            }
            return try template.render(in: scope, preservingSecrets: true, limits: limits)
        } catch {
            throw TaskFailure(errorClass: "expression_error", message: "`\(text)`: \(error.message)")
        }
    }

    /// Renders a template that must produce text (URLs, messages); any other value is written as JSON.
    func renderString(_ text: String, in scope: EvaluationScope) throws(TaskFailure) -> String {
        switch try render(text, in: scope) {
        case .string(let string):
            return string
        case .null:
            return ""
        case let other:
            try checkBounds(other, "`\(text)`")
            return other.encodedString()
        }
    }
}
