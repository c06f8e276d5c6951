import DriverSupport
import ArgumentParser
import Foundation
import Intelligence
import WorkflowDSL

/// Options that decide what a valid workflow is, shared by `run`, `validate` and `graph`.
struct ValidationArguments: ParsableArguments {
    @Option(name: .customLong("allow-host"), help: ArgumentHelp(
        "Allow http callbacks to this host, IP or CIDR even if it is private or loopback (repeatable; also LAZYRABBIT_ALLOWED_HOSTS, comma-separated).",
        valueName: "host"))
    var allowedHosts: [String] = []

    @Option(help: "Most states a workflow may have (default 500).")
    var maxStates: Int?

    @Option(help: "Deepest nesting of parallel and map states (default 8).")
    var maxNestingDepth: Int?

    @Option(help: "Largest workflow document in bytes (default 1048576).")
    var maxDocumentBytes: Int?

    @Option(help: "Longest expression in characters (default 4096).")
    var maxExpressionLength: Int?

    @Option(help: ArgumentHelp(
        "Shortest time a schedule may leave between two ticks (default 10s; as the coordinator's --min-schedule-interval).",
        valueName: "duration"), transform: WorkflowDuration.argument)
    var minScheduleInterval: WorkflowDuration?

    /// The options as the validator takes them.
    var validationOptions: ValidationOptions {
        var limits = ValidationLimits()
        if let maxStates { limits.maxStates = maxStates }
        if let maxNestingDepth { limits.maxNestingDepth = maxNestingDepth }
        if let maxDocumentBytes { limits.maxDocumentBytes = maxDocumentBytes }
        if let maxExpressionLength { limits.maxExpressionLength = maxExpressionLength }
        if let minScheduleInterval { limits.minScheduleIntervalSeconds = Int(minScheduleInterval.milliseconds / 1000) }
        return ValidationOptions(
            limits: limits, addressPolicy: AddressPolicy(allowList: allowedHosts + ServerSettings.allowedHostsFromEnvironment),
            allowedModels: LLMConfiguration.allowedModels())
    }

    /// Reads and validates a workflow file, printing its problems; throws exit code 2 when it is invalid.
    func loadWorkflow(at path: String, printer: ProgressPrinter) throws -> (definition: WorkflowDefinition, source: String) {
        let source: String
        do {
            source = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            printer.problem("cannot read \(path): \(error.localizedDescription)")
            throw ExitCodes.invalid
        }
        let document = WorkflowDocument.load(source, options: validationOptions)
        for diagnostic in document.diagnostics {
            printer.diagnostic(diagnostic, file: path)
        }
        guard let definition = document.definition, document.isValid else {
            printer.problem("\(path) is not a valid workflow (\(document.diagnostics.filter { $0.severity == .error }.count) errors)")
            throw ExitCodes.invalid
        }
        return (definition, source)
    }
}
