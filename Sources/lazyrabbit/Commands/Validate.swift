import ArgumentParser
import Foundation
import WorkflowDSL
import WorkflowJSON

extension LazyRabbit {
    /// `lazyrabbit validate FILE...`: every problem of every file, exit 2 if any is an error.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check workflow files and report every problem with its line, column and field path.")

        @Argument(help: "Workflow files (YAML or JSON).")
        var files: [String]

        @Flag(help: "Print the problems as JSON for machines.")
        var json = false

        @OptionGroup var validation: ValidationArguments

        func run() throws {
            let printer = ProgressPrinter.standardError()
            var reports: [JSONValue] = []
            var invalid = false
            for file in files {
                let source: String
                do {
                    source = try String(contentsOfFile: file, encoding: .utf8)
                } catch {
                    invalid = true
                    reports.append(["file": .string(file), "valid": false, "diagnostics": [["code": "unreadable", "message": .string(error.localizedDescription)]]])
                    if !json { printer.problem("cannot read \(file): \(error.localizedDescription)") }
                    continue
                }
                let document = WorkflowDocument.load(source, options: validation.validationOptions)
                invalid = invalid || !document.isValid
                if json {
                    reports.append(Self.report(file: file, document: document))
                } else {
                    document.diagnostics.forEach { printer.diagnostic($0, file: file) }
                    if document.isValid, let definition = document.definition {
                        printer.line("✓ \(file): `\(definition.name)` is valid", style: .success)
                    }
                }
            }
            if json {
                print(JSONValue.array(reports).encodedString(pretty: true))
            }
            if invalid { throw ExitCodes.invalid }
        }

        private static func report(file: String, document: WorkflowDocument.LoadResult) -> JSONValue {
            let diagnostics = document.diagnostics.map { diagnostic -> JSONValue in
                [
                    "severity": .string(diagnostic.severity.rawValue), "code": .string(diagnostic.code),
                    "message": .string(diagnostic.message), "path": .string(diagnostic.path),
                    "line": diagnostic.line.map(JSONValue.integer) ?? .null, "column": diagnostic.column.map(JSONValue.integer) ?? .null,
                    "hint": diagnostic.hint.map(JSONValue.string) ?? .null,
                ]
            }
            return ["file": .string(file), "valid": .bool(document.isValid), "workflow": document.definition.map { .string($0.name) } ?? .null, "diagnostics": .array(diagnostics)]
        }
    }
}
