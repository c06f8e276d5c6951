import ArgumentParser
import EmbeddedRuntime
import Foundation
import Intelligence
import LazyRabbitCoordinator
import LazyRabbitWorker
import SQLiteDriver
import WorkflowDSL
import WorkflowDrivers
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

extension LazyRabbit {
    /// `lazyrabbit run FILE`: one execution on the embedded runtime, with live progress.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a workflow on this machine (no servers) and print its final context as JSON.",
            discussion: """
                Progress goes to standard error, the final context to standard output. Exit status: 0 when \
                the execution completed, 1 when it failed, was cancelled or timed out, 2 when the workflow \
                or the input is invalid. Every step is stored in the database, so a run stopped by Ctrl-C \
                or kill -9 continues with `lazyrabbit run --resume ID --db PATH`.
                """)

        @Argument(help: "The workflow file (YAML or JSON). Not needed with --resume.")
        var file: String?

        @Option(help: ArgumentHelp("The input: a JSON object, or @FILE to read one.", valueName: "json|@file"))
        var input: String?

        @Option(help: "The SQLite database that keeps executions (created if missing).")
        var db: String = ".lazyrabbit/embedded.sqlite"

        @Option(help: ArgumentHelp("Continue a stopped execution from where it stopped.", valueName: "execution-id"))
        var resume: String?

        @Option(help: "Directory of workflows that `workflow` callbacks may start by name (default: the file's directory).")
        var workflows: String?

        @Option(help: "How many callbacks run at once.")
        var concurrency: Int = 32

        @Option(help: "How many child executions one run may start, at every depth together.")
        var maxChildExecutions: Int = ChildWorkflow.defaultTreeLimit

        @Flag(help: "Approve every approval state as soon as it waits.")
        var approve = false

        @Flag(help: "Reject every approval state as soon as it waits.")
        var reject = false

        @Option(name: .customLong("signal"), help: ArgumentHelp("Send signal NAME with a JSON payload once the execution started (repeatable).", valueName: "name=json"))
        var signals: [String] = []

        @Flag(help: "Print only the final context.")
        var quiet = false

        @OptionGroup var validation: ValidationArguments

        func validate() throws {
            guard (file == nil) != (resume == nil) else {
                throw ValidationError("give a workflow file to start, or --resume EXECUTION_ID to continue one (not both)")
            }
            guard !(approve && reject) else { throw ValidationError("--approve and --reject exclude each other") }
            guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
            guard maxChildExecutions >= 0 else { throw ValidationError("--max-child-executions must not be negative") }
        }

        func run() async throws {
            let printer = ProgressPrinter.standardError()
            let store = try openStore(printer: printer)
            let workflowDirectory = workflows.map { URL(fileURLWithPath: $0) }
                ?? URL(fileURLWithPath: file ?? ".").deletingLastPathComponent()
            var configuration = EmbeddedConfiguration(workerConcurrency: concurrency, addressPolicy: validation.validationOptions.addressPolicy)
            configuration.catalog = WorkflowCatalog.directory(workflowDirectory, options: validation.validationOptions)
            configuration.childExecutionLimit = maxChildExecutions
            configuration.llm = try LLMCallRunner.fromEnvironment()
            configuration.logSink = { task, level, message in printer.line("  ✎ [\(level.rawValue)] \(task.state): \(message)") }
            let usage = LLMUsageSummary(prices: try LLMPrices.fromEnvironment())
            let observer: @Sendable (ExecutionInstance, [TransitionRecord]) -> Void = { [quiet] instance, records in
                usage.record(records)
                guard !quiet, !instance.id.contains("~child") else { return }
                printer.transitions(records)
            }
            let automation = RunAutomation(approve: approve, reject: reject, signals: try parsedSignals())
            let final: ExecutionInstance
            if let resume {
                final = try await resumeExecution(resume, store: store, configuration: configuration, observer: observer, printer: printer)
            } else {
                final = try await startExecution(store: store, configuration: configuration, observer: observer, automation: automation, printer: printer)
            }
            print((final.output ?? .null).encodedString(pretty: true))
            report(final, usage: usage, printer: printer)
            if final.status != .completed { throw ExitCodes.failed }
        }

        private func openStore(printer: ProgressPrinter) throws -> SQLiteExecutionStore {
            let directory = URL(fileURLWithPath: db).deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                return try SQLiteExecutionStore(path: db)
            } catch {
                printer.problem("cannot open the database \(db): \(error)")
                throw ExitCodes.invalid
            }
        }

        private func startExecution(
            store: SQLiteExecutionStore, configuration: EmbeddedConfiguration,
            observer: @escaping @Sendable (ExecutionInstance, [TransitionRecord]) -> Void, automation: RunAutomation, printer: ProgressPrinter
        ) async throws -> ExecutionInstance {
            guard let file else { throw ExitCodes.invalid }
            let workflow = try validation.loadWorkflow(at: file, printer: printer)
            let inputValue = try parsedInput(printer: printer)
            let id = ExecutionCoordinator.newExecutionID()
            let resumeCommand = "lazyrabbit run --resume \(id) --db \(db)"
            if !quiet {
                printer.line("▶ \(workflow.definition.name)  execution \(id)", style: .accent)
                printer.line("  (if stopped, continue with: \(resumeCommand))", style: .dim)
            }
            let interrupt = InterruptNotice(printer: printer, resumeCommand: resumeCommand)
            defer { withExtendedLifetime(interrupt) {} }
            return try await EmbeddedRuntime.withRuntime(
                configuration: configuration, store: store, transport: CurlTransport(),
                observer: { instance, records in
                    observer(instance, records)
                    automation.react(to: instance, records: records)
                }
            ) { runtime in
                automation.attach(runtime)
                do {
                    _ = try await runtime.start(workflow.definition, source: workflow.source, input: inputValue, executionID: id)
                } catch let error as CoordinatorError {
                    printer.problem(error.description)
                    throw ExitCodes.invalid
                }
                await automation.sendSignals(to: id)
                return await runtime.completion(of: id)
            }
        }

        private func resumeExecution(
            _ id: String, store: SQLiteExecutionStore, configuration: EmbeddedConfiguration,
            observer: @escaping @Sendable (ExecutionInstance, [TransitionRecord]) -> Void, printer: ProgressPrinter
        ) async throws -> ExecutionInstance {
            guard let record = try await store.execution(id: id) else {
                printer.problem("no execution \(id) in \(db)")
                throw ExitCodes.invalid
            }
            if !quiet {
                printer.line("▶ \(record.workflowName)  execution \(id)  resuming from \(record.status.rawValue) at transition \(record.sequence)", style: .accent)
            }
            return try await EmbeddedRuntime.withRuntime(configuration: configuration, store: store, transport: CurlTransport(), observer: observer) { runtime in
                try await runtime.resume(id)
            }
        }

        private func parsedInput(printer: ProgressPrinter) throws -> JSONValue {
            guard let input else { return .emptyObject }
            var text = input
            if input.hasPrefix("@") {
                guard let contents = try? String(contentsOfFile: String(input.dropFirst()), encoding: .utf8) else {
                    printer.problem("cannot read the input file \(input.dropFirst())")
                    throw ExitCodes.invalid
                }
                text = contents
            }
            do {
                return try JSONValue(jsonString: text)
            } catch {
                printer.problem("the input is not valid JSON: \(error)")
                throw ExitCodes.invalid
            }
        }

        private func parsedSignals() throws -> [(String, JSONValue)] {
            try signals.map { spec in
                let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let payload = try? JSONValue(jsonString: parts[1]) else {
                    throw ValidationError("--signal takes NAME=JSON, got `\(spec)`")
                }
                return (parts[0], payload)
            }
        }

        private func report(_ final: ExecutionInstance, usage: LLMUsageSummary, printer: ProgressPrinter) {
            guard !quiet else { return }
            let seconds = final.finishedAt.map { String(format: "%.2f s", $0.timeIntervalSince(final.startedAt)) } ?? "?"
            let summary = "\(final.status.rawValue) in \(seconds) (\(final.sequence) transitions\(usage.text(resumed: resume != nil)))"
            if final.status == .completed {
                printer.line("✔ \(summary)", style: .success)
            } else {
                printer.line("✘ \(summary)\(final.error.map { ": \($0.errorClass): \($0.message)" } ?? "")", style: .failure)
            }
        }
    }
}
