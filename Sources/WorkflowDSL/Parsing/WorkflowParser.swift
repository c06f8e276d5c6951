import WorkflowJSON
import Yams

/// Turns YAML or JSON text into a ``WorkflowDefinition``, collecting every problem as a
/// ``Diagnostic`` instead of stopping at the first.
public enum WorkflowParser {
    /// The parsed definition (when the document is a mapping at all) and the problems found.
    public static func parse(_ source: String) -> (definition: WorkflowDefinition?, diagnostics: [Diagnostic]) {
        let parsed = parseDocument(source)
        return (parsed.definition, parsed.diagnostics)
    }

    /// Parses with everything later checks need: the source map and the states that could not be read.
    static func parseDocument(_ source: String) -> ParsedDocument {
        let composed = YAMLComposer.compose(source)
        guard let root = composed.root else {
            return ParsedDocument(definition: nil, diagnostics: composed.diagnostics, sourceMap: SourceMap(), brokenStates: [])
        }
        let context = ParseContext(recoveredDuplicates: composed.duplicates)
        let definition = withExtendedLifetime(composed.parser) {
            context.refuseAnchors(in: root)
            return readDefinition(root, context: context)
        }
        return ParsedDocument(
            definition: definition, diagnostics: composed.diagnostics + context.diagnostics,
            sourceMap: context.sourceMap, brokenStates: context.brokenStates)
    }

    static let topLevelFields = ["apiVersion", "name", "description", "start", "states", "timeout", "on_error", "input", "schedule"]

    private static func readDefinition(_ root: Node, context: ParseContext) -> WorkflowDefinition? {
        guard let document = context.mapping(root, path: "", owner: "the workflow document", fields: topLevelFields) else { return nil }
        let apiVersion = document.string("apiVersion", required: true) ?? ""
        let name = document.string("name", required: true) ?? ""
        let states = StateParser(context: context)
        let graph = states.graph(in: document) ?? StateGraph(start: "", states: [])
        return WorkflowDefinition(
            apiVersion: apiVersion, name: name, description: document.string("description"), graph: graph,
            timeout: document.duration("timeout"), onError: readErrorPolicy(document), input: readInput(document),
            schedule: readSchedule(document))
    }

    private static func readErrorPolicy(_ document: MappingReader) -> ErrorPolicy? {
        guard let policy = document.mapping("on_error", owner: "`on_error`", fields: ["strategy", "fallback"]) else { return nil }
        let strategy = policy.choice("strategy", among: ErrorPolicy.Strategy.allCases.map(\.rawValue)).flatMap(ErrorPolicy.Strategy.init) ?? .auto
        return ErrorPolicy(strategy: strategy, fallback: policy.string("fallback"))
    }

    /// `schedule: { cron: "*/5 * * * *", timezone: Europe/Berlin, overlap: skip, catch_up: latest, input: {...} }`.
    /// The cron expression and the time zone are checked by the validator, at the character that is wrong.
    private static func readSchedule(_ document: MappingReader) -> WorkflowSchedule? {
        guard let schedule = document.mapping(
            "schedule", owner: "`schedule`", fields: ["cron", "timezone", "overlap", "catch_up", "input"]) else { return nil }
        let defaults = WorkflowSchedule(cron: "")
        let cron = schedule.string("cron", required: true)
        let parsed = WorkflowSchedule(
            cron: cron ?? "",
            timeZone: schedule.string("timezone") ?? defaults.timeZone,
            overlap: schedule.choice("overlap", among: WorkflowSchedule.Overlap.allCases.map(\.rawValue)).flatMap(WorkflowSchedule.Overlap.init) ?? defaults.overlap,
            catchUp: schedule.choice("catch_up", among: WorkflowSchedule.CatchUp.allCases.map(\.rawValue)).flatMap(WorkflowSchedule.CatchUp.init) ?? defaults.catchUp,
            input: schedule.json("input") ?? defaults.input)
        return cron == nil ? nil : parsed
    }

    /// `input: { fields: { email: { type: string, required: true } } }`, or the JSON-Schema-like
    /// shorthand `input: { required: [email], properties: { email: { type: string } } }`.
    private static func readInput(_ document: MappingReader) -> InputSchema? {
        guard let input = document.mapping("input", owner: "`input`", fields: ["fields", "properties", "required"]) else { return nil }
        let shorthand = input.contains("properties") || input.contains("required")
        if shorthand, input.contains("fields") {
            input.context.report("invalid_value", "`input` takes either `fields` or `properties`/`required`, not both", path: input.path, at: input.node)
        }
        let key = shorthand ? "properties" : "fields"
        let required = Set(shorthand ? input.stringList("required") ?? [] : [])
        guard let fieldsNode = input.value(key),
            let fields = input.context.mapping(fieldsNode, path: input.fieldPath(key), owner: "`input.\(key)`", fields: nil)
        else { return InputSchema(fields: []) }
        let fieldKeys = shorthand ? ["type", "description", "default"] : ["type", "required", "description", "default"]
        return InputSchema(fields: fields.entries.compactMap { entry in
            guard let field = input.context.mapping(entry.value, path: entry.path, owner: "input field `\(entry.key)`", fields: fieldKeys) else { return nil }
            let type = field.choice("type", among: InputSchema.FieldType.allCases.map(\.rawValue)).flatMap(InputSchema.FieldType.init) ?? .any
            return InputSchema.Field(
                name: entry.key, type: type, required: required.contains(entry.key) || field.bool("required") == true,
                description: field.string("description"), defaultValue: field.json("default"))
        })
    }
}

/// A parse with the extras the validator needs.
struct ParsedDocument {
    var definition: WorkflowDefinition?
    var diagnostics: [Diagnostic]
    var sourceMap: SourceMap
    /// Paths (`states.x`) of states whose type could not be read.
    var brokenStates: Set<String>
}
