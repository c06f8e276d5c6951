import ArgumentParser
import Foundation
import Intelligence
import WorkflowDSL

extension LazyRabbit {
    /// `lazyrabbit draft "DESCRIPTION"`: a workflow written by a language model from plain
    /// language, validated and repaired until valid (docs/intelligence.md).
    struct Draft: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a workflow from a plain-language description with a language model, validated and repaired.",
            discussion: """
                The model is any server that speaks OpenAI's chat completions API: LAZYRABBIT_LLM_URL (e.g. \
                https://api.openai.com/v1, or http://127.0.0.1:11434/v1 for Ollama), LAZYRABBIT_LLM_API_KEY, \
                LAZYRABBIT_LLM_MODEL. Each answer is validated; while it has problems they are sent back with their \
                lines and fields. The YAML goes to standard output (or --output), progress and problems to standard \
                error. Exit status: 0 valid, 2 still invalid after the last attempt, 1 when the model gave no answer.
                """)

        @Argument(help: "What the workflow should do, in plain language.")
        var description: String

        @Option(help: "The name the workflow must have.")
        var name: String?

        @Option(help: "Answers asked for at most, the first included.")
        var attempts: Int = 3

        @Option(help: "Write the YAML to this file instead of standard output.")
        var output: String?

        @OptionGroup var validation: ValidationArguments

        func validate() throws {
            guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1") }
        }

        func run() async throws {
            let printer = ProgressPrinter.standardError()
            guard let configuration = try LLMConfiguration.fromEnvironment() else {
                printer.problem("no language model is configured: set LAZYRABBIT_LLM_URL to an OpenAI-compatible API (e.g. http://127.0.0.1:11434/v1)")
                throw ExitCodes.failed
            }
            let drafter = WorkflowDrafter(
                model: configuration.chatModel(), options: validation.validationOptions, maxAttempts: attempts)
            let usage = LLMUsageSummary(prices: try LLMPrices.fromEnvironment())
            var counted = (prompt: 0, completion: 0)
            printer.line("asking \(configuration.defaultModel) at \(configuration.baseURL)…", style: .dim)
            let draft: WorkflowDrafter.Draft
            do {
                draft = try await drafter.draft(description, name: name) { answer in
                    // Each answer at its own model's price (a fallback may have given it).
                    usage.record(model: answer.model, promptTokens: answer.promptTokens - counted.prompt, completionTokens: answer.completionTokens - counted.completion)
                    counted = (answer.promptTokens, answer.completionTokens)
                    let errors = answer.diagnostics.filter { $0.severity == .error }.count
                    printer.line(
                        "answer \(answer.attempts): " + (errors == 0 ? "valid" : "\(errors) problem\(errors == 1 ? "" : "s")\(answer.attempts < attempts ? ", asking for a fix" : "")"),
                        style: errors == 0 ? .success : .warning)
                }
            } catch {
                printer.problem("the model gave no answer: \(error)")
                throw ExitCodes.failed
            }
            let file = output ?? "draft"
            draft.diagnostics.forEach { printer.diagnostic($0, file: file) }
            if let output {
                try draft.source.write(toFile: output, atomically: true, encoding: .utf8)
            } else {
                print(draft.source, terminator: "")
            }
            printer.line(
                "\(draft.attempts) answer\(draft.attempts == 1 ? "" : "s"), \(draft.promptTokens) + \(draft.completionTokens) tokens\(usage.costText())", style: .dim)
            guard draft.isValid else {
                printer.problem("the draft is still invalid after \(draft.attempts) answer\(draft.attempts == 1 ? "" : "s")")
                throw ExitCodes.invalid
            }
        }
    }
}
