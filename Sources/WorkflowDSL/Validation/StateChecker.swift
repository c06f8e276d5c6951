/// Checks the rules of single states: how they continue, and the sanity of their settings.
struct StateChecker {
    let context: ValidationContext

    static let maxRetryAttempts = 100
    /// The largest `max_visits`.
    static let maxVisits = 10_000
    /// The most components (`a.b.c` has three) a context path may have: the engine nests values
    /// at most 128 levels deep.
    static let maxPathComponents = 32

    func check(_ state: StateDefinition, path: String) {
        guard !context.brokenStates.contains(path) else { return }
        checkContinuation(state, path: path)
        checkContextPaths(state, path: path)
        if let retry = state.retry { checkRetry(retry, path: FieldPath.join(path, "retry")) }
        checkAttemptSettings(state, path: path)
        checkAttemptTimeout(state, path: path)
        checkTaskQueue(state, path: path)
        if let maxVisits = state.maxVisits, !(1...Self.maxVisits).contains(maxVisits) {
            context.report(
                "invalid_value", "`max_visits` must be between 1 and \(Self.maxVisits), got \(maxVisits)", path: FieldPath.join(path, "max_visits"),
                hint: "a loop of states without a task runs in one step of the engine: an unbounded one would never end")
        }
        switch state.kind {
        case .choice(let choice) where choice.choices.isEmpty:
            context.report("invalid_choice", "choice state `\(state.name)` has no choices", path: FieldPath.join(path, "choices"),
                           hint: "add `- when: \"<condition>\"` rules with a `next` each")
        case .parallel(let parallel) where parallel.branches.isEmpty:
            context.report("invalid_parallel", "parallel state `\(state.name)` has no branches", path: FieldPath.join(path, "branches"))
        case .map(let map):
            if let concurrency = map.maxConcurrency, concurrency < 1 {
                context.report("invalid_map", "`max_concurrency` must be at least 1, got \(concurrency)", path: FieldPath.join(path, "max_concurrency"),
                               hint: "leave it out to run every item at once")
            }
        case .wait(let wait):
            let modes = [wait.duration != nil, wait.until != nil, wait.signal != nil].filter { $0 }.count
            if modes != 1 {
                context.report("invalid_wait", "wait state `\(state.name)` needs exactly one of `duration`, `until` or `signal`, got \(modes)",
                               path: path, hint: "e.g. `duration: 1h`, `until: \"input.deadline\"` or `signal: payment_received`")
            }
        default:
            break
        }
    }

    /// Every place the state writes into the context: `output`, each catcher's `output`, each
    /// path a transform sets.
    private func checkContextPaths(_ state: StateDefinition, path: String) {
        var written: [(value: String, field: String)] = []
        if let output = state.output { written.append((output, FieldPath.join(path, "output"))) }
        for (position, catcher) in state.catchers.enumerated() {
            if let output = catcher.output { written.append((output, FieldPath.join(FieldPath.index(FieldPath.join(path, "catch"), position), "output"))) }
        }
        if case .task(.transform(let transform)) = state.kind {
            for assignment in transform.set {
                written.append((assignment.path, FieldPath.join(FieldPath.join(path, "callback"), "set")))
            }
        }
        for (value, field) in written {
            let components = value.split(separator: ".", omittingEmptySubsequences: true).count
            if components > Self.maxPathComponents {
                context.report("invalid_path", "the context path has \(components) components; at most \(Self.maxPathComponents) are allowed", path: field,
                               hint: "store the value under a shorter path")
            }
        }
    }

    private func checkContinuation(_ state: StateDefinition, path: String) {
        let nextPath = FieldPath.join(path, "next")
        if state.isTerminal {
            if state.next != nil {
                context.report("terminal_with_next", "`\(state.typeName)` state `\(state.name)` ends its graph and cannot have `next`", path: nextPath,
                               hint: "remove `next`")
            }
        } else if case .choice = state.kind {
            if state.next != nil || state.end {
                context.report("choice_with_next", "choice state `\(state.name)` moves by its choices and `default`, not by `next` or `end`",
                               path: state.next != nil ? nextPath : FieldPath.join(path, "end"), hint: "use `default: <state>` for the fallback")
            }
        } else if state.next != nil, state.end {
            context.report("next_and_end", "state `\(state.name)` has both `next` and `end: true`", path: nextPath, hint: "keep one of them")
        } else if state.next == nil, !state.end {
            context.report("missing_next", "state `\(state.name)` has no `next`", path: path,
                           hint: "add `next: <state>`, or `end: true` if the graph ends here")
        }
    }

    /// `retry` and `timeout` bound attempts of a callback, so only task states that dispatch one take them.
    private func checkAttemptSettings(_ state: StateDefinition, path: String) {
        if case .task(let callback) = state.kind, !callback.runsInline { return }
        let what = if case .task = state.kind { "a `transform` task (it runs inline)" } else { "a `\(state.typeName)` state" }
        if state.retry != nil {
            context.report("invalid_retry", "`retry` has no effect on \(what)", path: FieldPath.join(path, "retry"),
                           hint: "retry the task states inside it, or catch its error with `catch`")
        }
        let waitsItself: Bool = switch state.kind {
        case .wait, .approval: true  // their `timeout` bounds the wait, with `on_timeout`
        case .choice(let choice): choice.asksModel  // it bounds each question
        default: false
        }
        if state.timeout != nil && !waitsItself {
            context.report("invalid_timeout", "`timeout` has no effect on \(what)", path: FieldPath.join(path, "timeout"),
                           hint: "wait and approval states take `timeout` with `on_timeout`, choices with `ai` rules for each question; parallel and map states are bounded by their tasks' timeouts")
        }
    }

    /// A handler's `queue` becomes RabbitMQ names: it must be a ``TaskQueueName``.
    private func checkTaskQueue(_ state: StateDefinition, path: String) {
        guard context.options.checksRulesForStoring, case .task(.handler(let handler)) = state.kind, let queue = handler.queue,
            !TaskQueueName.isValid(queue)
        else { return }
        context.report("invalid_value", "`queue` must be \(TaskQueueName.rule), got `\(queue.prefix(120))`",
                       path: FieldPath.join(path, "callback.queue"))
    }

    /// A zero `timeout` on a callback or a question ends each attempt before it starts.
    private func checkAttemptTimeout(_ state: StateDefinition, path: String) {
        guard context.options.checksRulesForStoring, state.timeout?.milliseconds == 0 else { return }
        let boundsAttempts: Bool = switch state.kind {
        case .task(let callback): !callback.runsInline
        case .choice(let choice): choice.asksModel
        default: false
        }
        if boundsAttempts {
            context.report("invalid_timeout", "`timeout` must be longer than 0s: every attempt would time out before it starts",
                           path: FieldPath.join(path, "timeout"), hint: "give the callback or question time to answer, e.g. `timeout: 30s`")
        }
    }

    private func checkRetry(_ retry: RetryPolicy, path: String) {
        if !(1...Self.maxRetryAttempts).contains(retry.maxAttempts) {
            context.report("invalid_retry", "`max_attempts` must be between 1 and \(Self.maxRetryAttempts), got \(retry.maxAttempts)",
                           path: FieldPath.join(path, "max_attempts"), hint: "1 means a single attempt without retries")
        }
        if retry.initial > retry.max {
            context.report("invalid_retry", "`initial` (\(retry.initial)) is longer than `max` (\(retry.max))", path: FieldPath.join(path, "initial"),
                           hint: "make `max` at least as long as `initial`")
        }
        if !(retry.multiplier >= 1 && retry.multiplier.isFinite) {  // `.nan` compares false with everything
            context.report(
                "invalid_retry", "`multiplier` must be a finite number of at least 1, got \(retry.multiplier)",
                path: FieldPath.join(path, "multiplier"))
        }
    }
}
