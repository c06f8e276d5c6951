import Foundation
import Testing
@testable import WorkflowDSL

@Suite("State rules, limits and expressions")
struct StateValidationTests {
    @Test func nonTerminalWithoutNext() {
        let diagnostic = Fixtures.first("missing_next", in: Fixtures.minimal(states: "  first: { type: pass }\n  done: { type: succeed }"))
        #expect(diagnostic?.message == "state `first` has no `next`")
        #expect(diagnostic?.hint?.contains("end: true") == true)
    }

    /// What a model server would refuse at run time is refused at validation, with the field.
    @Test func llmCallbackSettingsAreChecked() {
        let states = "  first: { type: task, callback: { type: llm, prompt: hi, temperature: 3, max_tokens: 0, schema: \"an object\" }, end: true }"
        let paths = Fixtures.load(Fixtures.minimal(states: states)).diagnostics.filter { $0.code == "invalid_value" }.map(\.path)
        #expect(paths == ["states.first.callback.temperature", "states.first.callback.max_tokens", "states.first.callback.schema"])
        let empty = "  first: { type: task, callback: { type: llm, prompt: \" \", model: \"\" }, end: true }"
        #expect(Fixtures.load(Fixtures.minimal(states: empty)).diagnostics.filter { $0.code == "invalid_value" }.map(\.path)
                == ["states.first.callback.prompt", "states.first.callback.model"])
        let fine = "  first: { type: task, callback: { type: llm, prompt: hi, temperature: 0.7, max_tokens: 100, schema: { type: object } }, end: true }"
        #expect(Fixtures.load(Fixtures.minimal(states: fine)).isValid)
    }

    @Test func terminalWithNext() {
        let diagnostic = Fixtures.first("terminal_with_next", in: Fixtures.minimal(states: "  first: { type: pass, next: done }\n  done: { type: succeed, next: first }"))
        #expect(diagnostic?.path == "states.done.next")
    }

    @Test func choiceWithNextAndNextWithEnd() {
        let states = "  first: { type: choice, choices: [ { when: \"true\", next: second } ], next: done }\n  second: { type: pass, next: done, end: true }\n  done: { type: succeed }"
        let codes = Fixtures.codes(Fixtures.minimal(states: states))
        #expect(codes.contains("choice_with_next"))
        #expect(codes.contains("next_and_end"))
    }

    @Test(arguments: [
        ("{ type: wait, end: true }", false),
        ("{ type: wait, duration: 1s, signal: go, end: true }", false),
        ("{ type: wait, signal: go, timeout: 1h, end: true }", true),
        ("{ type: wait, until: \"input.deadline\", end: true }", true),
    ])
    func waitNeedsExactlyOneMode(state: String, valid: Bool) {
        let codes = Fixtures.codes(Fixtures.minimal(states: "  first: \(state)"))
        #expect(codes.contains("invalid_wait") == !valid)
    }

    @Test func retrySanity() {
        let states = "  first: { type: task, callback: { type: log, message: x }, retry: { max_attempts: 0, initial: 1m, max: 10s }, end: true }"
        let diagnostics = Fixtures.load(Fixtures.minimal(states: states)).diagnostics.filter { $0.code == "invalid_retry" }
        #expect(diagnostics.map(\.path) == ["states.first.retry.max_attempts", "states.first.retry.initial"])
        let tooMany = "  first: { type: task, callback: { type: log, message: x }, retry: { max_attempts: 101 }, end: true }"
        #expect(Fixtures.first("invalid_retry", in: Fixtures.minimal(states: tooMany))?.message == "`max_attempts` must be between 1 and 100, got 101")
    }

    /// `.nan` compares false with every number, so "below 1" alone let it through, and the engine
    /// trapped computing the second retry's delay (the coordinator's process, in distributed mode).
    @Test(arguments: [(".nan", "nan"), (".inf", "inf"), ("0.5", "0.5")])
    func aRetryMultiplierMustBeAFiniteNumberOfAtLeastOne(written: String, shown: String) {
        let states = "  first: { type: task, callback: { type: log, message: x }, retry: { max_attempts: 3, multiplier: \(written) }, end: true }"
        #expect(Fixtures.first("invalid_retry", in: Fixtures.minimal(states: states))?.message
            == "`multiplier` must be a finite number of at least 1, got \(shown)")
    }

    /// A loop of inline states runs in one engine step; `max_visits` is its only bound.
    @Test(arguments: [(0, false), (1, true), (10_000, true), (10_001, false), (Int.max, false)])
    func maxVisitsIsBounded(maxVisits: Int, valid: Bool) {
        let states = "  first: { type: pass, max_visits: \(maxVisits), end: true }"
        #expect(Fixtures.codes(Fixtures.minimal(states: states)).contains("invalid_value") == !valid)
    }

    @Test func stateNamesHaveAtMost128Bytes() {
        let long = String(repeating: "n", count: 129)
        let diagnostic = Fixtures.first("invalid_name", in: Fixtures.minimal(states: "  first: { type: pass, next: \(long) }\n  \(long): { type: succeed }"))
        #expect(diagnostic?.message == "a state name has 129 bytes; at most 128 are allowed")
        #expect(!Fixtures.codes(Fixtures.minimal(states: "  first: { type: pass, next: \(long.dropLast()) }\n  \(long.dropLast()): { type: succeed }")).contains("invalid_name"))
    }

    /// Storing under a path of 300 000 components overflowed the engine's stack.
    @Test func contextPathsHaveAtMost32Components() throws {
        let long = Array(repeating: "a", count: 33).joined(separator: ".")
        let fits = Array(repeating: "a", count: 32).joined(separator: ".")
        let states = """
              first: { type: pass, output: \(long), next: second }
              second:
                type: task
                callback: { type: transform, set: { \(long): 1, \(fits): 2 } }
                catch: [ { errors: [boom], next: done, output: \(long) } ]
                next: done
              done: { type: succeed, output: \(fits) }
            """
        let diagnostics = Fixtures.load(Fixtures.minimal(states: states)).diagnostics.filter { $0.code == "invalid_path" }
        #expect(diagnostics.map(\.path) == ["states.first.output", "states.second.callback.set", "states.second.catch[0].output"])
        #expect(diagnostics.first?.message == "the context path has 33 components; at most 32 are allowed")
        #expect(diagnostics.first?.line == 5)
    }

    @Test func aRetryDelayStaysWithinItsMaximumWhateverTheMultiplier() {
        for multiplier in [Double.nan, .infinity, 1e308] {
            let policy = RetryPolicy(maxAttempts: 5, initial: .init(milliseconds: 0), max: .seconds(30), multiplier: multiplier, jitter: false)
            #expect((1...4).map { policy.delay(after: $0, jitterFraction: 0).milliseconds }.allSatisfy { (0...30_000).contains($0) })
        }
    }

    @Test func mapConcurrency() {
        let states = """
              first:
                type: map
                items: "input.items"
                max_concurrency: 0
                iterator: { start: step, states: { step: { type: pass, end: true } } }
                end: true
            """
        let diagnostic = Fixtures.first("invalid_map", in: Fixtures.minimal(states: states))
        #expect(diagnostic?.path == "states.first.max_concurrency")
        #expect(diagnostic?.line == 8)
    }

    @Test func apiVersionMustMatch() {
        let source = Fixtures.minimal().replacingOccurrences(of: "lazyrabbit/v1", with: "lazyrabbit/v2")
        let diagnostic = Fixtures.first("unsupported_api_version", in: source)
        #expect(diagnostic?.hint == "use `apiVersion: lazyrabbit/v1`")
        #expect(diagnostic?.line == 1)
    }

    @Test func documentSizeIsCheckedBeforeParsing() {
        let options = ValidationOptions(limits: ValidationLimits(maxDocumentBytes: 10))
        let result = Fixtures.load("not: [valid yaml", options: options)
        #expect(result.diagnostics.map(\.code) == ["document_too_large"])
        #expect(result.diagnostics.first?.hint?.contains("maxDocumentBytes") == true)
    }

    @Test func stateCountLimit() {
        let options = ValidationOptions(limits: ValidationLimits(maxStates: 1))
        let diagnostic = Fixtures.first("too_many_states", in: Fixtures.minimal(), options: options)
        #expect(diagnostic?.message == "the workflow has 2 states; the limit is 1 (maxStates)")
    }

    @Test func nestingDepthLimit() {
        let states = """
              first:
                type: parallel
                branches:
                  - start: inner
                    states:
                      inner:
                        type: map
                        items: "input.items"
                        iterator: { start: leaf, states: { leaf: { type: pass, end: true } } }
                        end: true
                end: true
            """
        let source = Fixtures.minimal(states: states)
        #expect(Fixtures.load(source).isValid)
        let diagnostic = Fixtures.first("nesting_too_deep", in: source, options: ValidationOptions(limits: ValidationLimits(maxNestingDepth: 1)))
        #expect(diagnostic?.path == "states.first.branches[0].states.inner.iterator")
    }

    @Test func expressionLengthLimit() {
        let long = String(repeating: "a", count: 50)
        let states = "  first: { type: choice, choices: [ { when: \"\(long)\", next: done } ] }\n  done: { type: succeed }"
        let options = ValidationOptions(limits: ValidationLimits(maxExpressionLength: 10))
        #expect(Fixtures.first("expression_too_long", in: Fixtures.minimal(states: states), options: options)?.hint?.contains("maxExpressionLength") == true)
    }

    @Test func badExpressionsAreReportedAtTheirField() {
        let states = """
              first:
                type: choice
                choices:
                  - when: "a == "
                    next: done
                default: done
              done: { type: succeed, result: "${input.}" }
            """
        let diagnostics = Fixtures.load(Fixtures.minimal(states: states)).diagnostics
        let expression = diagnostics.first { $0.code == "invalid_expression" }
        #expect(expression?.path == "states.first.choices[0].when")
        #expect(expression?.line == 8 && expression?.column == 16 + (expression.map { Self.offset(in: $0.message) } ?? -100))
        #expect(diagnostics.contains { $0.code == "invalid_template" && $0.path == "states.done.result" })
    }

    /// The 0-based offset a message reports as "(at character N)".
    private static func offset(in message: String) -> Int {
        guard let range = message.range(of: "(at character ") else { return -100 }
        return (Int(message[range.upperBound...].prefix { $0.isNumber }) ?? -99) - 1
    }

    @Test func templateErrorPointsInsideTheString() {
        let states = "  first: { type: pass, result: \"ok ${1 +}\", end: true }"
        let diagnostic = Fixtures.first("invalid_template", in: Fixtures.minimal(states: states))
        #expect(diagnostic?.line == 5)
        #expect(diagnostic?.column == 33 + (diagnostic.map { Self.offset(in: $0.message) } ?? -100))
    }

    @Test func templatesInCallbackFieldsAreChecked() {
        let states = "  first: { type: task, callback: { type: http, url: \"https://x.example/${input.id\", body: { a: [\"${1 +}\"] } }, end: true }"
        let paths = Fixtures.load(Fixtures.minimal(states: states)).diagnostics.filter { $0.code == "invalid_template" }.map(\.path)
        #expect(paths == ["states.first.callback.url", "states.first.callback.body.a[0]"])
    }

    @Test func aiChoicesAreAllowed() {
        let states = "  first: { type: choice, choices: [ { ai: \"Is this fraud?\", next: done } ], default: done }\n  done: { type: succeed }"
        #expect(Fixtures.load(Fixtures.minimal(states: states)).isValid)
    }

    /// A handler's `queue` becomes a RabbitMQ routing key and queue name: what the broker would
    /// refuse (over 255 bytes), and what the transport keeps for itself (`~`), is refused here.
    @Test(arguments: [String(repeating: "q", count: 101), "has space", "billing~1", "-dash-first", "é"])
    func taskQueueNamesAreChecked(_ queue: String) {
        let states = "  first: { type: task, callback: { type: handler, name: echo, queue: \"\(queue)\" }, end: true }"
        let diagnostic = Fixtures.first("invalid_value", in: Fixtures.minimal(states: states))
        #expect(diagnostic?.path == "states.first.callback.queue")
        #expect(diagnostic?.message.hasPrefix("`queue` must be 1 to 100 letters, digits") == true)
        #expect(diagnostic?.line == 5)
        // A workflow stored before the rule still runs.
        #expect(Fixtures.load(Fixtures.minimal(states: states), options: ValidationOptions().forRunning).isValid)
    }

    @Test func validTaskQueueNamesPass() {
        for queue in ["billing", "eu-west.1", "Q_2", String(repeating: "q", count: 100)] {
            let states = "  first: { type: task, callback: { type: handler, name: echo, queue: \(queue) }, end: true }"
            #expect(Fixtures.load(Fixtures.minimal(states: states)).isValid, "\(queue)")
        }
    }

    @Test func validatorWorksWithoutSource() throws {
        var definition = try #require(Fixtures.load(Fixtures.minimal()).definition)
        definition.graph.start = "missing"
        let diagnostics = WorkflowValidator.validate(definition)
        #expect(diagnostics.map(\.code).contains("undefined_start"))
        #expect(diagnostics.allSatisfy { $0.line == nil })
    }
}

@Suite struct AttemptSettingsTests {
    @Test func retryAndTimeoutAreRefusedOnStatesThatDispatchNoCallback() {
        let result = WorkflowDocument.load("""
            apiVersion: lazyrabbit/v1
            name: misplaced
            start: fan
            states:
              fan:
                type: parallel
                retry: { max_attempts: 3 }
                timeout: 5s
                branches:
                  - start: a
                    states:
                      a: { type: succeed }
                next: set
              set:
                type: task
                callback: { type: transform, set: { x: 1 } }
                retry: { max_attempts: 2 }
                next: done
              done: { type: succeed }
            """)
        let codes = result.diagnostics.map { "\($0.code)@\($0.path)" }
        #expect(codes.contains("invalid_retry@states.fan.retry"))
        #expect(codes.contains("invalid_timeout@states.fan.timeout"))
        #expect(codes.contains("invalid_retry@states.set.retry"))
    }

    /// A zero `timeout` where it bounds each attempt of a callback or each question of an `ai`
    /// rule ends every attempt before it starts; on an approval it only means "do not wait".
    @Test func aZeroTimeoutIsRefusedWhereItBoundsAttempts() {
        let states = [
            "  call: { type: task, callback: { type: http, url: \"https://example.com\" }, timeout: 0s, next: ask }",
            "  ask: { type: choice, choices: [ { ai: \"Is this fraud?\", next: hold } ], default: hold, timeout: 0ms }",
            "  hold: { type: approval, message: \"ok?\", timeout: 0s, on_timeout: done, next: done }",
            "  done: { type: succeed }",
        ]
        let result = Fixtures.load(Fixtures.minimal(states: states.joined(separator: "\n"), start: "call"))
        let refused = result.diagnostics.filter { $0.code == "invalid_timeout" }
        #expect(refused.map(\.path) == ["states.call.timeout", "states.ask.timeout"])
        #expect(refused.first?.message == "`timeout` must be longer than 0s: every attempt would time out before it starts")
        #expect(refused.first?.line != nil)
        // A workflow stored before the rule still runs.
        #expect(Fixtures.load(Fixtures.minimal(states: states.joined(separator: "\n"), start: "call"), options: ValidationOptions().forRunning).isValid)
    }

    @Test func aZeroWorkflowTimeoutIsRefused() {
        let source = Fixtures.minimal().replacingOccurrences(of: "start: first", with: "start: first\ntimeout: 0s")
        let diagnostic = Fixtures.first("invalid_timeout", in: source)
        #expect(diagnostic?.path == "timeout" && diagnostic?.line == 4)
        #expect(Fixtures.load(source, options: ValidationOptions().forRunning).isValid)
    }
}
