import WorkflowDSL

/// The workflows the benchmark runs, generated as DSL text so they go through the same parser,
/// validator and engine as users' workflows.
enum WorkloadDefinitions {
    /// The handler every no-op step calls; it records when it ran.
    static let stepHandler = "bench.step"

    /// A linear chain of `steps` no-op task states calling `handler`.
    static func chain(name: String, steps: Int, handler: String) -> String {
        var states = ""
        for step in 1...steps {
            let next = step == steps ? "done" : "s\(step + 1)"
            states += "  s\(step): { type: task, callback: { type: handler, name: \(handler), input: { step: \(step) } }, next: \(next) }\n"
        }
        return header(name: name, start: "s1") + states + "  done: { type: succeed }\n"
    }

    /// One step, `width` parallel steps, a join, one step, all calling `handler`.
    static func fanOut(width: Int, handler: String) -> String {
        var branches = ""
        for branch in 1...width {
            branches += """
                      - start: b\(branch)
                        states:
                          b\(branch): { type: task, callback: { type: handler, name: \(handler), input: { step: \(branch + 1) } }, end: true }

                """
        }
        return header(name: "bench-fan-out", start: "first")
            + "  first: { type: task, callback: { type: handler, name: \(handler), input: { step: 1 } }, next: fan }\n"
            + "  fan:\n    type: parallel\n    branches:\n" + branches
            + "    next: last\n"
            + "  last: { type: task, callback: { type: handler, name: \(handler), input: { step: \(width + 2) } }, next: done }\n"
            + "  done: { type: succeed }\n"
    }

    /// A chain of `steps` HTTP GETs to `url`.
    static func httpChain(steps: Int, url: String) -> String {
        var states = ""
        for step in 1...steps {
            let next = step == steps ? "done" : "get\(step + 1)"
            states += "  get\(step): { type: task, callback: { type: http, method: GET, url: \"\(url)\" }, timeout: 30s, next: \(next) }\n"
        }
        return header(name: "bench-io", start: "get1") + states + "  done: { type: succeed }\n"
    }

    private static func header(name: String, start: String) -> String {
        "apiVersion: lazyrabbit/v1\nname: \(name)\nstart: \(start)\nstates:\n"
    }

    /// Parses and validates generated text; a failure here is a bug in this file.
    static func load(_ source: String, allowing hosts: [String] = []) throws -> WorkflowDefinition {
        let document = WorkflowDocument.load(source, options: ValidationOptions(addressPolicy: AddressPolicy(allowList: hosts)))
        guard let definition = document.definition, document.isValid else {
            throw BenchmarkError.invalidWorkload(document.diagnostics.map(\.description).joined(separator: "; "))
        }
        return definition
    }
}

/// Why a benchmark could not run.
public enum BenchmarkError: Error, CustomStringConvertible {
    case invalidWorkload(String)
    case executionFailed(String)
    case workersNotReady(String)

    public var description: String {
        switch self {
        case .invalidWorkload(let problems): "a generated workload is invalid: \(problems)"
        case .executionFailed(let message): message
        case .workersNotReady(let message): message
        }
    }
}
