import WorkflowJSON
import Yams

/// Reads state graphs (the top level, parallel branches, map iterators) and their states.
struct StateParser {
    let context: ParseContext

    static let commonFields = ["type", "next", "end", "output", "timeout", "retry", "catch", "max_visits", "comment"]

    /// The fields each state type adds to ``commonFields``.
    static let typeFields: [String: [String]] = [
        "task": ["callback"],
        "choice": ["choices", "default"],
        "parallel": ["branches"],
        "map": ["items", "max_concurrency", "iterator"],
        "wait": ["duration", "until", "signal", "on_timeout"],
        "approval": ["message", "on_timeout", "on_reject"],
        "succeed": ["result"],
        "fail": ["error", "cause"],
        "pass": ["result"],
    ]

    static let retryFields = ["max_attempts", "backoff", "initial", "max", "multiplier", "jitter", "non_retryable"]

    /// Reads `start` and `states` from `owner` (the document, a branch or an iterator).
    func graph(in owner: MappingReader) -> StateGraph? {
        let start = owner.string("start", required: true) ?? ""
        guard let statesNode = owner.value("states", required: true),
            let states = context.mapping(statesNode, path: owner.fieldPath("states"), owner: "`states`", fields: nil)
        else { return StateGraph(start: start, states: []) }
        return StateGraph(start: start, states: states.entries.compactMap { state($0.key, $0.value, path: $0.path) })
    }

    /// Reads a nested graph (`branches[i]`, `iterator`).
    private func nestedGraph(_ node: Node, path: String, owner: String) -> StateGraph? {
        context.mapping(node, path: path, owner: owner, fields: ["start", "states"]).flatMap(graph(in:))
    }

    private func state(_ name: String, _ node: Node, path: String) -> StateDefinition? {
        let typeName = node.mapping?["type"]?.scalar?.string
        let known = typeName.flatMap { Self.typeFields[$0] }
        let fields = Self.commonFields + (known ?? Self.typeFields.values.flatMap { $0 })
        guard let state = context.mapping(node, path: path, owner: "state `\(name)`", fields: fields) else {
            context.brokenStates.insert(path)
            return nil
        }
        let kind: StateKind?
        switch typeName {
        case nil:
            _ = state.string("type", required: true)
            kind = nil
        case let typeName? where known == nil:
            context.report(
                "unknown_state_type", "unknown state type `\(typeName)` in state `\(name)`", path: state.fieldPath("type"),
                at: state.value("type"), hint: Suggestion.hint(for: typeName, in: StateKind.allTypeNames)
                    ?? "state types are \(StateKind.allTypeNames.joined(separator: ", "))")
            kind = nil
        default:
            kind = self.kind(of: state)
        }
        guard let kind else {
            context.brokenStates.insert(path)
            return StateDefinition(name: name, kind: .pass(result: nil), next: state.string("next"), end: state.bool("end") ?? false)
        }
        return StateDefinition(
            name: name, kind: kind, next: state.string("next"), end: state.bool("end") ?? false, output: state.text("output"),
            timeout: state.duration("timeout"), retry: retry(in: state), catchers: catchers(in: state) ?? [],
            maxVisits: state.int("max_visits"), comment: state.string("comment"))
    }

    private func kind(of state: MappingReader) -> StateKind? {
        switch state.string("type") {
        case "task":
            return state.value("callback", required: true).flatMap { CallbackParser(context: context).callback($0, path: state.fieldPath("callback")) }
                .map(StateKind.task)
        case "choice":
            let rules = state.list("choices", required: true) { node, path in choiceRule(node, path: path) } ?? []
            return .choice(ChoiceSpec(choices: rules, defaultNext: state.string("default")))
        case "parallel":
            let branches = state.list("branches", required: true) { node, path in
                nestedGraph(node, path: path, owner: "a branch of `\(state.path)`")
            }
            return .parallel(ParallelSpec(branches: branches ?? []))
        case "map":
            let iterator = state.value("iterator", required: true).flatMap {
                nestedGraph($0, path: state.fieldPath("iterator"), owner: "the iterator of `\(state.path)`")
            }
            return .map(MapSpec(items: state.string("items", required: true) ?? "", maxConcurrency: state.int("max_concurrency"),
                                iterator: iterator ?? StateGraph(start: "", states: [])))
        case "wait":
            let duration = state.duration("duration")
            // Reported already: without this the validator would add "needs exactly one of …, got 0".
            if duration == nil, state.contains("duration") { context.brokenStates.insert(state.path) }
            return .wait(WaitSpec(duration: duration, until: state.string("until"), signal: state.text("signal"),
                                  timeout: state.duration("timeout"), onTimeout: state.string("on_timeout")))
        case "approval":
            return .approval(ApprovalSpec(message: state.string("message"), timeout: state.duration("timeout"),
                                          onTimeout: state.string("on_timeout"), onReject: state.string("on_reject")))
        case "succeed":
            return .succeed(result: state.json("result"))
        case "fail":
            return .fail(FailSpec(error: state.text("error", required: true) ?? "", cause: state.string("cause")))
        case "pass":
            return .pass(result: state.json("result"))
        default:
            return nil
        }
    }

    private func choiceRule(_ node: Node, path: String) -> ChoiceRule? {
        guard let rule = context.mapping(node, path: path, owner: "a choice", fields: ["when", "ai", "about", "min_confidence", "on_no_answer", "model", "next"])
        else { return nil }
        let when = rule.string("when"), ai = rule.string("ai"), minConfidence = rule.int("min_confidence")
        let about = rule.string("about"), onNoAnswer = rule.string("on_no_answer"), model = rule.string("model")
        if rule.contains("when") == rule.contains("ai") {
            context.report("invalid_choice", "a choice needs exactly one of `when` or `ai`", path: path, at: node)
        }
        if let ai, ai.allSatisfy(\.isWhitespace) || ai.utf8.count > ChoiceRule.maxQuestionBytes {
            let problem = ai.allSatisfy(\.isWhitespace) ? "is empty" : "has \(ai.utf8.count) bytes, more than \(ChoiceRule.maxQuestionBytes)"
            context.report("invalid_choice", "the `ai` question \(problem)",
                           path: rule.fieldPath("ai"), at: rule.value("ai"), hint: "ask one yes/no question; `about` picks the data it is about")
        }
        for field in ["about", "min_confidence", "on_no_answer", "model"] where when != nil && rule.contains(field) {
            context.report("invalid_choice", "`\(field)` belongs to `ai` rules", path: rule.fieldPath(field), at: rule.value(field))
        }
        if let minConfidence, ai != nil, !(0...100).contains(minConfidence) {
            context.report("invalid_value", "`min_confidence` must be from 0 to 100, got \(minConfidence)", path: rule.fieldPath("min_confidence"),
                           at: rule.value("min_confidence"))
        }
        return ChoiceRule(
            when: when, ai: ai, about: about, minConfidence: minConfidence, onNoAnswer: onNoAnswer, model: model,
            next: rule.string("next", required: true) ?? "")
    }

    private func retry(in state: MappingReader) -> RetryPolicy? {
        guard let retry = state.mapping("retry", owner: "`retry`", fields: Self.retryFields) else { return nil }
        let defaults = RetryPolicy(maxAttempts: 3)
        return RetryPolicy(
            maxAttempts: retry.int("max_attempts", required: true) ?? defaults.maxAttempts,
            backoff: retry.choice("backoff", among: RetryPolicy.Backoff.allCases.map(\.rawValue)).flatMap(RetryPolicy.Backoff.init) ?? defaults.backoff,
            initial: retry.duration("initial") ?? defaults.initial, max: retry.duration("max") ?? defaults.max,
            multiplier: retry.double("multiplier") ?? defaults.multiplier, jitter: retry.bool("jitter") ?? defaults.jitter,
            nonRetryable: retry.stringList("non_retryable") ?? [])
    }

    private func catchers(in state: MappingReader) -> [Catcher]? {
        state.list("catch") { node, path in
            guard let catcher = context.mapping(node, path: path, owner: "a catcher", fields: ["errors", "next", "output"]) else { return nil }
            return Catcher(errors: catcher.stringList("errors") ?? ["*"], next: catcher.string("next", required: true) ?? "",
                           output: catcher.text("output"))
        }
    }
}
