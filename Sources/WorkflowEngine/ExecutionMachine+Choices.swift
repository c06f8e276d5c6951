import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

extension ExecutionMachine {
    /// Tries a choice's rules in order from `first`. A `when` rule is decided at once; an `ai` rule
    /// sends its question to a language model (``ChoiceQuestion``) and the choice goes on when the
    /// answer comes (``answered(_:with:in:)``). No match takes `default`.
    mutating func decide(_ choice: ChoiceSpec, state: StateDefinition, in threadID: String, from first: Int = 0) throws(TaskFailure) {
        guard let thread = instance.threads[threadID] else { return }
        for position in choice.choices.indices.dropFirst(first) {
            let rule = choice.choices[position]
            if let question = rule.ai {
                return try ask(question, of: rule.model, about: rule.about, rule: position, state: state, in: threadID)
            }
            guard let condition = rule.when else { continue }
            let verdict = try workflow.evaluate(condition, in: scope(for: thread))
            guard case .bool(let matched) = verdict else {
                throw TaskFailure(errorClass: "expression_error", message: "`\(condition)` must be true or false, got \(verdict.typeName)")
            }
            if matched {
                return choose(rule.next, state: state, in: threadID, details: ["rule": .integer(position), "condition": .string(condition)])
            }
        }
        guard let fallback = choice.defaultNext else {
            throw TaskFailure(errorClass: "no_choice_matched", message: "no rule of choice `\(state.name)` matched and it has no default")
        }
        choose(fallback, state: state, in: threadID, details: ["rule": "default"])
    }

    /// Sends the question of the `ai` rule at `position` to its `model` (`nil`: the default one),
    /// about its `about` expression's value, or else what the thread's `when` rules see (the map
    /// item first: a cut falls on the context).
    private mutating func ask(
        _ question: String, of model: String?, about: String?, rule position: Int, state: StateDefinition, in threadID: String
    ) throws(TaskFailure) {
        guard let thread = instance.threads[threadID] else { return }
        var data: [(String, JSONValue)] = []
        if let about {
            data = [("Data", try workflow.evaluate(about, in: scope(for: thread)))]
        } else {
            if let item = thread.item { data.append(("Item", item)) }
            if let index = thread.index { data.append(("Index", .integer(index))) }
            data += [("Input", instance.input), ("Context", thread.context)]
        }
        let callback = ChoiceQuestion.callback(asking: question, of: model, about: data, state: state.name, workflow: workflow.definition.name)
        guard let taskID = send(callback, for: state, in: threadID, suffix: "-ai\(position)") else { return }
        instance.threads[threadID]?.phase = .asking(taskID: taskID, rule: position)
    }

    /// Applies the model's answer to the question of the rule at `position`: a yes at least as
    /// confident as the rule's `min_confidence` takes its `next`; a no or a less confident yes goes
    /// on with the next rule, and so does no answer at all (no model configured, a failure, a
    /// timeout, an answer of another shape) unless the rule names `on_no_answer`. Either way an
    /// `ai_decided` transition keeps the answer and why.
    mutating func answered(_ position: Int, with outcome: TaskOutcome, in threadID: String) {
        guard let state = instance.threads[threadID].flatMap({ workflow.states[$0.state] }), case .choice(let choice) = state.kind,
            choice.choices.indices.contains(position), let question = choice.choices[position].ai
        else { return }
        let rule = choice.choices[position]
        let needed = rule.minConfidence ?? ChoiceRule.defaultMinConfidence
        var details: [String: JSONValue] = ["rule": .integer(position), "question": .string(question), "min_confidence": .integer(needed)]
        var matched = false
        var unanswered = false
        switch ChoiceQuestion.answer(in: outcome) {
        case .success(let answer):
            matched = answer.yes && answer.confidence >= needed
            details["answer"] = .bool(answer.yes)
            details["confidence"] = .integer(answer.confidence)
            details["explanation"] = .string(answer.explanation)
            if let usage = answer.usage { details[LLMUsage.detailsKey] = usage.json }
            if answer.cached { details["cached"] = true }
        case .failure(let failure):
            let failure = failure.bounded()
            details["error"] = ["error": .string(failure.errorClass), "message": .string(failure.message)]
            unanswered = true
        }
        details["matched"] = .bool(matched)
        let fallback = unanswered ? rule.onNoAnswer : nil
        record("ai_decided", thread: threadID, from: state.name, to: matched ? rule.next : fallback, details: .object(details))
        if matched {
            return choose(rule.next, state: state, in: threadID, details: ["rule": .integer(position), "ai": .string(question)])
        }
        if let fallback {
            return choose(fallback, state: state, in: threadID, details: ["rule": .integer(position), "ai": .string(question), "no_answer": true])
        }
        do {
            try decide(choice, state: state, in: threadID, from: position + 1)
        } catch {
            schedule(.fail(thread: threadID, error: error))
        }
    }

    private mutating func choose(_ next: String, state: StateDefinition, in threadID: String, details: JSONValue) {
        record("choice_made", thread: threadID, from: state.name, to: next, details: details)
        schedule(.enter(thread: threadID, state: next, from: state.name))
    }
}
