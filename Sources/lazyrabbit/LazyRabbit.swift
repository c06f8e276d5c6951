import ArgumentParser

/// The one `lazyrabbit` executable: a thin tree of subcommands over the libraries.
@main
struct LazyRabbit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lazyrabbit",
        abstract: "A durable, AI-assisted workflow engine.",
        discussion: """
            Write a workflow in YAML or JSON (see docs/dsl.md), check it with `validate`, draw it with \
            `graph`, and run it on this machine with `run` — no servers needed.
            """,
        version: "0.1.0",
        subcommands: [Run.self, Validate.self, Graph.self, Draft.self, Dev.self, Coordinator.self, Worker.self, Bench.self, Faults.self, Admin.self])

    /// Prepares the process, then parses the arguments and runs the command.
    static func main() async {
        OpenSSLExitCleanup.disable()
        await main(nil)
    }
}

/// Exit codes shared by every command.
enum ExitCodes {
    /// The execution completed.
    static let completed = ExitCode(0)
    /// The execution failed, was cancelled or timed out.
    static let failed = ExitCode(1)
    /// The workflow or the input is invalid (nothing ran).
    static let invalid = ExitCode(2)
}
