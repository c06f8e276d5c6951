import ArgumentParser
import WorkflowDSL

extension LazyRabbit {
    /// `lazyrabbit graph FILE`: the workflow as a Mermaid flowchart.
    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a workflow as a Mermaid flowchart (paste it into any Markdown that renders Mermaid).")

        @Argument(help: "A workflow file (YAML or JSON).")
        var file: String

        @OptionGroup var validation: ValidationArguments

        func run() throws {
            let printer = ProgressPrinter.standardError()
            let workflow = try validation.loadWorkflow(at: file, printer: printer)
            print(MermaidRenderer.render(workflow.definition))
        }
    }
}
