/// Draws a workflow as a Mermaid `flowchart TD`: a node per state shaped by its type, labelled
/// edges for every transition, and subgraphs for parallel branches and map iterators.
public enum MermaidRenderer {
    /// The Mermaid source for `definition`, ending with a newline.
    public static func render(_ definition: WorkflowDefinition) -> String {
        var builder = MermaidBuilder()
        builder.lines.append("flowchart TD")
        builder.add(definition.graph, path: "", indent: "    ")
        return (builder.lines + builder.edges).joined(separator: "\n") + "\n"
    }

    /// Makes `text` safe inside a quoted Mermaid label.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\"": escaped += "#quot;"
            case "<": escaped += "#lt;"
            case ">": escaped += "#gt;"
            case "#": escaped += "#35;"
            case "|": escaped += "#124;"
            case "\n", "\r", "\t": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A Mermaid-safe identifier: ASCII letters, digits and underscores, never a keyword.
    static func identifier(_ text: String) -> String {
        "s_" + String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// A one-line summary of what a state does, shown under its name.
    static func summary(of state: StateDefinition) -> String {
        switch state.kind {
        case .task(let callback):
            if case .http(let http) = callback { return "http \(http.method)" }
            return callback.typeName
        case .map(let map): return "map over \(map.items)"
        case .wait(let wait):
            if let duration = wait.duration { return "wait \(duration)" }
            if let signal = wait.signal { return "wait for signal \(signal)" }
            return "wait until \(wait.until ?? "")"
        case .fail(let fail): return "fail: \(fail.error)"
        default: return state.typeName
        }
    }
}

/// Accumulates node lines and edges while walking nested graphs.
private struct MermaidBuilder {
    var lines: [String] = []
    var edges: [String] = []
    private var ids: [String: String] = [:]
    private var used: Set<String> = []
    private var markers = 0

    /// The identifier for the state at `path`, unique even when sanitising makes names collide.
    mutating func id(_ path: String, name: String? = nil) -> String {
        if let id = ids[path] { return id }
        let base = MermaidRenderer.identifier(name ?? path.split(separator: ".").last.map(String.init) ?? path)
        var candidate = base
        var suffix = 2
        while used.contains(candidate) {
            candidate = "\(base)_\(suffix)"
            suffix += 1
        }
        used.insert(candidate)
        ids[path] = candidate
        return candidate
    }

    mutating func add(_ graph: StateGraph, path: String, indent: String) {
        let statesPath = FieldPath.join(path, "states")
        markers += 1
        let marker = "start_\(markers)"
        lines.append("\(indent)\(marker)((\" \"))")
        if graph.states[graph.start] != nil {
            edges.append("    \(marker) --> \(id(FieldPath.join(statesPath, graph.start)))")
        }
        for state in graph.orderedStates {
            let statePath = FieldPath.join(statesPath, state.name)
            let node = id(statePath)
            let label = MermaidRenderer.escape("\(state.name)\n· \(MermaidRenderer.summary(of: state))")
            switch state.kind {
            case .parallel(let parallel):
                lines.append("\(indent)subgraph \(node)[\"\(label)\"]")
                for (index, branch) in parallel.branches.enumerated() {
                    let branchPath = FieldPath.index(FieldPath.join(statePath, "branches"), index)
                    lines.append("\(indent)    subgraph \(id(branchPath, name: "\(state.name)_branch_\(index + 1)"))[\"branch \(index + 1)\"]")
                    add(branch, path: branchPath, indent: indent + "        ")
                    lines.append("\(indent)    end")
                }
                lines.append("\(indent)end")
            case .map(let map):
                lines.append("\(indent)subgraph \(node)[\"\(label)\"]")
                add(map.iterator, path: FieldPath.join(statePath, "iterator"), indent: indent + "    ")
                lines.append("\(indent)end")
            default:
                lines.append(indent + node + Self.shape(of: state, label: label))
            }
            for move in state.transitions where graph.states[move.target] != nil {
                let target = id(FieldPath.join(statesPath, move.target))
                let arrow = move.label.isEmpty ? "-->" : "-->|\"\(MermaidRenderer.escape(move.label))\"|"
                edges.append("    \(node) \(arrow) \(target)")
            }
        }
    }

    private static func shape(of state: StateDefinition, label: String) -> String {
        switch state.kind {
        case .choice: "{\"\(label)\"}"
        case .succeed, .fail: "((\"\(label)\"))"
        case .wait, .approval: "([\"\(label)\"])"
        default: state.end ? "([\"\(label)\"])" : "[\"\(label)\"]"
        }
    }
}
