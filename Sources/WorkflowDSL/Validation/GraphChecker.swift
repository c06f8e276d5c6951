/// Checks one state graph: the start and every target exist, every state is reachable,
/// the graph can end, and no loop traps an execution forever.
struct GraphChecker {
    let scope: GraphScope
    let context: ValidationContext
    /// Extra entry points (the workflow's `on_error.fallback` at the top level).
    let entries: [String]
    /// Every state name of the document, to tell "in another graph" from "nowhere".
    let allNames: Set<String>

    private var graph: StateGraph { scope.graph }

    func check() {
        guard !graph.states.isEmpty else {
            context.report("empty_graph", "`\(scope.statesPath)` has no states", path: scope.statesPath,
                           hint: "add at least one state, e.g. `done: { type: succeed }`")
            return
        }
        if !graph.start.isEmpty, graph.states[graph.start] == nil {
            context.report("undefined_start", "the start state `\(graph.start)` does not exist", path: scope.startPath, hint: hint(for: graph.start))
        }
        for state in graph.orderedStates {
            for move in state.transitions where graph.states[move.target] == nil {
                let path = FieldPath.join(scope.path(of: state.name), move.field)
                if !move.target.isEmpty {
                    context.report("undefined_target", "state `\(state.name)` goes to `\(move.target)`, which does not exist in this graph",
                                   path: path, hint: hint(for: move.target))
                } else if !move.field.hasSuffix("].next") {
                    // A required target (a rule's or a catcher's `next`) reports its own absence; an
                    // optional one written empty would fail only when taken.
                    context.report("undefined_target", "`\(move.field)` of state `\(state.name)` is empty", path: path,
                                   hint: "name a state here: " + graph.order.map { "`\($0)`" }.joined(separator: ", "))
                }
            }
        }
        checkReachability()
        checkExits()
    }

    private func hint(for missing: String) -> String? {
        if let close = Suggestion.hint(for: missing, in: graph.order) { return close }
        if allNames.contains(missing) { return "`\(missing)` belongs to another graph; a state can only move within its own graph" }
        return "states here: " + graph.order.map { "`\($0)`" }.joined(separator: ", ")
    }

    /// Existing successors of `name`.
    private func successors(_ name: String) -> [String] {
        graph.states[name]?.successors.filter { graph.states[$0] != nil } ?? []
    }

    private func checkReachability() {
        let roots = ([graph.start] + entries).filter { graph.states[$0] != nil }
        guard !roots.isEmpty else { return }
        var reached = Set(roots)
        var queue = roots
        while let name = queue.popLast() {
            for next in successors(name) where reached.insert(next).inserted { queue.append(next) }
        }
        for name in graph.order where !reached.contains(name) {
            context.report("unreachable_state", "state `\(name)` is unreachable: no state moves to it", path: scope.path(of: name),
                           hint: "remove it, or point a `next`, choice or `catch` at it")
        }
    }

    /// States that end the graph (and states the parser could not read, to avoid follow-on errors).
    private func isExit(_ state: StateDefinition) -> Bool {
        state.isTerminal || state.end || context.brokenStates.contains(scope.path(of: state.name))
    }

    private func checkExits() {
        let exits = graph.orderedStates.filter(isExit).map(\.name)
        if exits.isEmpty {
            context.report("no_terminal_path", "no state in `\(scope.statesPath)` ends the graph, so an execution can never finish",
                           path: scope.statesPath, hint: "add a `succeed` or `fail` state, or `end: true` on the last state")
        }
        var predecessors: [String: [String]] = [:]
        for name in graph.order { for next in successors(name) { predecessors[next, default: []].append(name) } }
        var canFinish = Set(exits)
        var queue = exits
        while let name = queue.popLast() {
            for previous in predecessors[name] ?? [] where canFinish.insert(previous).inserted { queue.append(previous) }
        }
        let trapped = graph.order.filter { !canFinish.contains($0) }
        for component in StronglyConnectedComponents.of(trapped, successors: successors) {
            let cycle = Self.cycle(through: component, successors: successors, order: graph.order)
            guard let first = cycle.first else { continue }
            context.report("cycle_without_exit", "the loop \(cycle.joined(separator: " → ")) has no way out",
                           path: scope.path(of: first), hint: "add a choice or `catch` that leaves the loop, or `max_visits` with a catcher")
        }
    }

    /// A closed walk through `component` starting and ending at its first state in document order.
    private static func cycle(through component: Set<String>, successors: (String) -> [String], order: [String]) -> [String] {
        guard let start = order.first(where: component.contains) else { return [] }
        var previous: [String: String] = [:]
        var queue = [start]
        var index = 0
        while index < queue.count {
            let name = queue[index]
            index += 1
            for next in successors(name) where component.contains(next) {
                if next == start {
                    var path = [name]
                    while let before = previous[path[0]] { path.insert(before, at: 0) }
                    return path + [start]
                }
                if previous[next] == nil, next != start {
                    previous[next] = name
                    queue.append(next)
                }
            }
        }
        return []
    }
}

/// Tarjan's algorithm, keeping only components that contain a cycle.
enum StronglyConnectedComponents {
    static func of(_ nodes: [String], successors: (String) -> [String]) -> [Set<String>] {
        let members = Set(nodes)
        var index: [String: Int] = [:], low: [String: Int] = [:]
        var stack: [String] = [], onStack: Set<String> = []
        var components: [Set<String>] = []
        func connect(_ node: String) {
            index[node] = index.count
            low[node] = index[node]
            stack.append(node)
            onStack.insert(node)
            for next in successors(node) where members.contains(next) {
                if index[next] == nil {
                    connect(next)
                    low[node] = min(low[node]!, low[next]!)
                } else if onStack.contains(next) {
                    low[node] = min(low[node]!, index[next]!)
                }
            }
            guard low[node] == index[node] else { return }
            var component: Set<String> = []
            while let top = stack.popLast() {
                onStack.remove(top)
                component.insert(top)
                if top == node { break }
            }
            if component.count > 1 || successors(node).contains(node) { components.append(component) }
        }
        for node in nodes where index[node] == nil { connect(node) }
        return components
    }
}
