/// What the checks of one validation share: options, where fields were written, and the findings.
final class ValidationContext {
    let options: ValidationOptions
    let sourceMap: SourceMap
    /// Paths of states the parser could not read; type-specific checks skip them.
    let brokenStates: Set<String>
    private(set) var diagnostics: [Diagnostic] = []

    init(options: ValidationOptions, sourceMap: SourceMap, brokenStates: Set<String>) {
        self.options = options
        self.sourceMap = sourceMap
        self.brokenStates = brokenStates
    }

    /// Records a finding at the position of `path` (or its closest written ancestor).
    func report(_ code: String, _ message: String, path: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(code: code, message: message, path: path, at: sourceMap.position(of: path), hint: hint))
    }

    /// Records a problem at character `offset` of the text at `path` (at the field when the text spans lines).
    func report(_ code: String, _ message: String, path: String, offset: Int) {
        let position = sourceMap.position(of: path, offset: offset) ?? sourceMap.position(of: path)
        diagnostics.append(Diagnostic(code: code, message: message, path: path, at: position))
    }

    func position(of path: String) -> SourcePosition? { sourceMap.position(of: path) }
}

/// One state graph of a document (the top level, a parallel branch or a map iterator) and where it is.
struct GraphScope {
    let graph: StateGraph
    /// The path of the mapping holding `start` and `states` (empty at the top level).
    let path: String
    /// 0 at the top level, +1 per enclosing parallel or map state.
    let depth: Int

    var statesPath: String { FieldPath.join(path, "states") }
    var startPath: String { FieldPath.join(path, "start") }
    func path(of state: String) -> String { FieldPath.join(statesPath, state) }
    var isTopLevel: Bool { depth == 0 }

    /// Every graph of `definition`, outermost first, in document order.
    static func all(in definition: WorkflowDefinition) -> [GraphScope] {
        var scopes: [GraphScope] = []
        func visit(_ graph: StateGraph, path: String, depth: Int) {
            let scope = GraphScope(graph: graph, path: path, depth: depth)
            scopes.append(scope)
            for state in graph.orderedStates {
                let statePath = scope.path(of: state.name)
                switch state.kind {
                case .parallel(let parallel):
                    for (index, branch) in parallel.branches.enumerated() {
                        visit(branch, path: FieldPath.index(FieldPath.join(statePath, "branches"), index), depth: depth + 1)
                    }
                case .map(let map):
                    visit(map.iterator, path: FieldPath.join(statePath, "iterator"), depth: depth + 1)
                default:
                    break
                }
            }
        }
        visit(definition.graph, path: "", depth: 0)
        return scopes
    }
}

/// A move from one state to another, with the field that names it and a label for graphs.
struct Transition {
    /// The field path relative to the state (`next`, `choices[0].next`, `catch[1].next`).
    var field: String
    var target: String
    /// How diagrams label the edge (empty for plain `next`).
    var label: String
}

extension StateDefinition {
    /// Every move this state can make within its graph, in the same order as ``successors``.
    var transitions: [Transition] {
        var moves: [Transition] = []
        if let next { moves.append(Transition(field: "next", target: next, label: "")) }
        switch kind {
        case .choice(let choice):
            for (index, rule) in choice.choices.enumerated() {
                let label = rule.when ?? rule.ai.map { "ai: \($0)" } ?? ""
                moves.append(Transition(field: "choices[\(index)].next", target: rule.next, label: label))
                if let onNoAnswer = rule.onNoAnswer {
                    moves.append(Transition(field: "choices[\(index)].on_no_answer", target: onNoAnswer, label: "no answer"))
                }
            }
            if let fallback = choice.defaultNext { moves.append(Transition(field: "default", target: fallback, label: "default")) }
        case .wait(let wait):
            if let onTimeout = wait.onTimeout { moves.append(Transition(field: "on_timeout", target: onTimeout, label: "timeout")) }
        case .approval(let approval):
            if let onTimeout = approval.onTimeout { moves.append(Transition(field: "on_timeout", target: onTimeout, label: "timeout")) }
            if let onReject = approval.onReject { moves.append(Transition(field: "on_reject", target: onReject, label: "rejected")) }
        default:
            break
        }
        for (index, catcher) in catchers.enumerated() {
            moves.append(Transition(field: "catch[\(index)].next", target: catcher.next, label: "catch " + catcher.errors.joined(separator: ", ")))
        }
        return moves
    }
}
