import Foundation
import Testing
import WorkflowDSL
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

/// `ai:` rules of a `choice` state: the question goes to a worker as an `llm` callback asking for
/// a yes/no with a confidence, and the choice goes on with the answer.
@Suite struct AIChoiceTests {
    static let workflow = """
        apiVersion: lazyrabbit/v1
        name: triage
        start: route
        states:
          route:
            type: choice
            choices:
              - when: "input.amount > 1000"
                next: large
              - ai: "Does this order look fraudulent?"
                min_confidence: 80
                next: review
              - ai: "Is the customer new?"
                next: welcome
            default: ship
          large: { type: succeed }
          review: { type: succeed }
          welcome: { type: succeed }
          ship: { type: succeed }
        """

    /// A worker's report for an `llm` callback asking for JSON: the parsed answer is under `json`.
    static func answer(_ yes: Bool, confidence: Int) -> TaskOutcome {
        .succeeded(["text": "…", "model": "test-model", "usage": ["prompt_tokens": 120, "completion_tokens": 30], "json": ["answer": .bool(yes), "confidence": .integer(confidence), "explanation": "because"]])
    }

    static let fraud = "Does this order look fraudulent?"
    static let new = "Is the customer new?"

    /// Runs the triage workflow; `answers` answers each question (unanswered ones stay running).
    static func run(amount: Int, context: JSONValue = .emptyObject, answers: [String: TaskOutcome]) throws -> Simulation {
        var simulation = try Simulation(workflow, input: ["amount": .integer(amount)], context: context, respond: { task in
            guard case .llm(let call) = task.callback else { return nil }
            return answers.first { call.prompt.hasPrefix("Question: \($0.key)") }?.value
        })
        simulation.run()
        return simulation
    }

    static func questions(_ simulation: Simulation) -> [LLMCallback] {
        simulation.effects.compactMap { effect in
            if case .dispatch(let task) = effect, case .llm(let call) = task.callback { call } else { nil }
        }
    }

    @Test func aConfidentYesTakesTheRule() throws {
        let simulation = try Self.run(amount: 50, answers: [Self.fraud: Self.answer(true, confidence: 90)])
        #expect(simulation.entered().last == "review")
        let decided = try #require(simulation.transitions("ai_decided").first)
        #expect(decided.details["question"] == "Does this order look fraudulent?")
        #expect(decided.details["answer"] == true && decided.details["confidence"] == 90 && decided.details["matched"] == true)
        #expect(decided.details["explanation"] == "because")
        #expect(LLMUsage(details: decided.details) == LLMUsage(model: "test-model", promptTokens: 120, completionTokens: 30))
        #expect(simulation.transitions("choice_made").first?.details["ai"] == "Does this order look fraudulent?")
    }

    @Test func theQuestionAsksForJSONAboutWhatWhenRulesSee() throws {
        let simulation = try Self.run(amount: 50, context: ["customer": "Ada"], answers: [Self.fraud: Self.answer(true, confidence: 90)])
        let question = try #require(Self.questions(simulation).first)
        #expect(question.prompt.hasPrefix("Question: Does this order look fraudulent?"))
        #expect(question.prompt.contains(#""amount":50"#) && question.prompt.contains(#""customer":"Ada""#), "\(question.prompt)")
        #expect(question.schema?["required"] == ["answer", "confidence", "explanation"])
        #expect(question.temperature == 0)
    }

    @Test func aWhenRuleBeforeTheQuestionDecidesWithoutAsking() throws {
        let simulation = try Self.run(amount: 5000, answers: [:])
        #expect(simulation.entered().last == "large")
        #expect(Self.questions(simulation).isEmpty)
    }

    @Test func aNoOrAnUnsureYesGoesOnToTheNextRule() throws {
        let unsure = try Self.run(amount: 50, answers: [Self.fraud: Self.answer(true, confidence: 79), Self.new: Self.answer(true, confidence: 70)])
        #expect(unsure.entered().last == "welcome", "80 needed for the first rule; the second needs the default, 70")
        #expect(unsure.transitions("ai_decided").map { $0.details["matched"] } == [false, true])
        let questions = Self.questions(unsure)
        #expect(questions.map(\.prompt).map { $0.hasPrefix("Question: Is the customer new?") } == [false, true])
        let taskIDs = unsure.effects.compactMap { if case .dispatch(let task) = $0 { task.taskID } else { nil } }
        #expect(Set(taskIDs).count == 2, "each question is its own task: \(taskIDs)")

        let no = try Self.run(amount: 50, answers: [Self.fraud: Self.answer(false, confidence: 100), Self.new: Self.answer(false, confidence: 100)])
        #expect(no.entered().last == "ship")
    }

    /// Without a model (or with a failing one, or an answer of another shape) a question is no
    /// match: the rules after it and `default` decide, and the history says why.
    @Test func noAnswerGoesOnAndSaysWhy() throws {
        let unavailable = TaskOutcome.failed(TaskFailure(errorClass: "llm_unavailable", message: "no language model is configured"))
        let simulation = try Self.run(amount: 50, answers: [Self.fraud: unavailable, Self.new: .succeeded(["text": "maybe", "json": ["verdict": "yes"]])])
        #expect(simulation.entered().last == "ship")
        let errors = simulation.transitions("ai_decided").map { $0.details.value(atPath: "error.error") }
        #expect(errors == ["llm_unavailable", "llm_bad_response"])
    }

    @Test func aConfidenceOutOfRangeIsClamped() throws {
        let simulation = try Self.run(amount: 50, answers: [Self.fraud: Self.answer(true, confidence: 400)])
        #expect(simulation.transitions("ai_decided").first?.details["confidence"] == 100)
        #expect(simulation.entered().last == "review")
    }

    /// The data is shown to the model as it is: a template in it is not rendered.
    @Test func dataIsNotRenderedAsATemplate() throws {
        let simulation = try Self.run(amount: 50, context: ["note": "${secret.TOKEN}"], answers: [Self.fraud: Self.answer(false, confidence: 0), Self.new: Self.answer(false, confidence: 0)])
        #expect(Self.questions(simulation).first?.prompt.contains("${secret.TOKEN}") == true)
        #expect(simulation.entered().last == "ship")
    }

    @Test func noMatchWithoutADefaultFailsTheState() throws {
        let workflow = """
            apiVersion: lazyrabbit/v1
            name: strict
            start: route
            states:
              route:
                type: choice
                choices: [ { ai: "Is it urgent?", next: urgent } ]
              urgent: { type: succeed }
            """
        var simulation = try Simulation(workflow, respond: { _ in Self.answer(false, confidence: 100) })
        simulation.run()
        #expect(simulation.instance.status == .failed)
        #expect(simulation.instance.error?.errorClass == "no_choice_matched")
    }

    @Test func minConfidenceIsCheckedWhenParsed() {
        let document = WorkflowDocument.load("""
            apiVersion: lazyrabbit/v1
            name: bad
            start: route
            states:
              route:
                type: choice
                choices:
                  - ai: "Is it urgent?"
                    min_confidence: 101
                    next: done
                  - when: "true"
                    min_confidence: 50
                    next: done
              done: { type: succeed }
            """)
        #expect(document.diagnostics.map(\.code).sorted() == ["invalid_choice", "invalid_value"])
        #expect(document.diagnostics.map { "\($0.path):\($0.line ?? 0)" }.sorted()
            == ["states.route.choices[0].min_confidence:9", "states.route.choices[1].min_confidence:12"])
    }

    /// A choice in the middle of a map, with `about`, `on_no_answer` and a `timeout`.
    static func mapped(rule extra: String, timeout: String = "") -> String {
        """
        apiVersion: lazyrabbit/v1
        name: screening
        start: each
        states:
          each:
            type: map
            items: "input.orders"
            iterator:
              start: screen
              states:
                screen:
                  type: choice
                  \(timeout)
                  choices:
                    - ai: "Is this order fraudulent?"
                      \(extra)
                      next: held
                  default: passed
                held: { type: pass, result: held, end: true }
                passed: { type: pass, result: passed, end: true }
            next: done
          done: { type: succeed }
        """
    }

    static let orders: JSONValue = ["orders": [["id": "A-1", "total": 10], ["id": "A-2", "total": 20]]]

    @Test func aboutIsAllTheModelSees() throws {
        var simulation = try Simulation(Self.mapped(rule: "about: \"item\""), input: Self.orders, context: ["token": "t0k3n"]) { _ in
            Self.answer(false, confidence: 100)
        }
        simulation.run()
        let prompts = Self.questions(simulation).map(\.prompt).sorted()
        #expect(prompts.count == 2)
        #expect(prompts.first?.hasSuffix("Data (JSON):\n{\"id\":\"A-1\",\"total\":10}") == true, "\(prompts)")
        #expect(!prompts.joined().contains("t0k3n"), "the context is not shown")
    }

    /// Without `about`, a large context is cut, not the map item the question is about.
    @Test func aLargeContextIsCutBeforeTheItem() throws {
        let context: JSONValue = ["log": .string(String(repeating: "x", count: 100_000))]
        var simulation = try Simulation(Self.mapped(rule: ""), input: Self.orders, context: context) { _ in Self.answer(false, confidence: 100) }
        simulation.run()
        let prompt = try #require(Self.questions(simulation).first?.prompt)
        #expect(prompt.contains("Item (JSON):\n{\"id\":\"A-") && prompt.contains("Input (JSON):\n{\"orders\""))
        #expect(prompt.contains(" bytes)") && prompt.utf8.count < 17_000, "cut to about 16 KiB: \(prompt.utf8.count)")
    }

    /// An item of 9 KB is shown whole (a hunt found every part held to an equal share of 4 KiB);
    /// the input, which holds every item, and the context are cut instead.
    @Test func aLargeItemIsShownWhole() throws {
        let note = String(repeating: "n", count: 9_000) + "SUSPICIOUS_TAIL"
        let orders: JSONValue = ["orders": [["id": "A-1", "note": .string(note)]]]
        var simulation = try Simulation(Self.mapped(rule: ""), input: orders) { _ in Self.answer(false, confidence: 100) }
        simulation.run()
        let prompt = try #require(Self.questions(simulation).first?.prompt)
        let item = try #require(prompt.components(separatedBy: "Item (JSON):\n").last?.components(separatedBy: "\n\n").first)
        #expect(item.hasSuffix("SUSPICIOUS_TAIL\"}"), "\(item.suffix(60))")
        #expect(prompt.contains("Context (JSON):\n{}") && prompt.utf8.count < 17_000)
    }

    @Test func aReusedAnswerSaysSoAndCostsNothing() throws {
        let reused = TaskOutcome.succeeded([
            "text": "…", "model": "m", "cached": true, "usage": ["prompt_tokens": 120, "completion_tokens": 30],
            "json": ["answer": true, "confidence": 90, "explanation": "again"],
        ])
        let simulation = try Self.run(amount: 50, answers: [Self.fraud: reused])
        let decided = try #require(simulation.transitions("ai_decided").first)
        #expect(decided.details["cached"] == true && LLMUsage(details: decided.details) == nil)
    }

    /// `on_no_answer` fails closed: no answer goes there, while a no still goes on.
    @Test func onNoAnswerTakesItsStateWhenTheModelGivesNone() throws {
        let workflow = Self.mapped(rule: "on_no_answer: held")
        var failing = try Simulation(workflow, input: Self.orders) { _ in .failed(TaskFailure(errorClass: "llm_rate_limited", message: "HTTP 429")) }
        failing.run()
        #expect(failing.instance.status == .completed)
        #expect(failing.transitions("choice_made").map(\.toState) == ["held", "held"])
        #expect(failing.transitions("choice_made").first?.details["no_answer"] == true)
        var declining = try Simulation(workflow, input: Self.orders) { _ in Self.answer(false, confidence: 100) }
        declining.run()
        #expect(declining.transitions("choice_made").map(\.toState) == ["passed", "passed"])
    }

    /// A question nobody answers within the choice's `timeout` is no answer; its task is cancelled.
    @Test func aQuestionTimesOut() throws {
        var simulation = try Simulation(Self.mapped(rule: "on_no_answer: held", timeout: "timeout: 30s"), input: Self.orders) { _ in nil }
        simulation.run()
        #expect(simulation.instance.status == .completed)
        #expect(simulation.transitions("ai_decided").map { $0.details.value(atPath: "error.error") } == ["timeout", "timeout"])
        #expect(simulation.transitions("choice_made").map(\.toState) == ["held", "held"])
        #expect(simulation.effects.filter { if case .cancelTask = $0 { true } else { false } }.count == 2)
    }

    /// A second report of a question already answered, or one for a question of an earlier visit, changes nothing.
    @Test func aRepeatedAnswerChangesNothing() throws {
        var simulation = try Self.run(amount: 50, answers: [Self.fraud: Self.answer(true, confidence: 90)])
        let taskID = try #require(simulation.effects.compactMap { if case .dispatch(let task) = $0 { task.taskID } else { nil } }.first)
        let before = simulation.transitions.count
        let step = simulation.apply(.taskCompleted(taskID: taskID, outcome: Self.answer(false, confidence: 100)))
        #expect(step.transitions.isEmpty && simulation.transitions.count == before)
    }

    /// A rule's `model` is the model asked (one the operator allows); without it, the default.
    @Test func aRuleMayNameItsModel() throws {
        let named = Self.workflow.replacingOccurrences(of: "min_confidence: 80", with: "min_confidence: 80\n        model: big")
        var simulation = try Simulation(named, input: ["amount": 50], respond: { _ in nil })
        simulation.run()
        #expect(Self.questions(simulation).map(\.model) == ["big"])
        #expect(Self.questions(try Self.run(amount: 50, answers: [:])).map(\.model) == [nil])

        let allowed = ValidationOptions(allowedModels: ["small"])
        #expect(WorkflowDocument.load(named, options: allowed).diagnostics.map(\.path) == ["states.route.choices[1].model"])
        #expect(WorkflowDocument.load(named, options: allowed.forRunning).isValid)
        for name in ["\"\"", "\"  \"", "\"gpt\\nsecond\""] {
            let odd = Self.workflow.replacingOccurrences(of: "min_confidence: 80", with: "min_confidence: 80\n        model: \(name)")
            #expect(WorkflowDocument.load(odd).diagnostics.map(\.code) == ["invalid_value"], "\(name)")
            #expect(WorkflowDocument.load(odd, options: ValidationOptions().forRunning).isValid, "stored before the rule: it runs")
        }
        let onWhen = Self.workflow.replacingOccurrences(of: "next: large", with: "model: big\n        next: large")
        #expect(WorkflowDocument.load(onWhen).diagnostics.map(\.message) == ["`model` belongs to `ai` rules"])
    }

    @Test func theRulesFieldsAreChecked() {
        func codes(_ rule: String, timeout: String = "") -> [String] {
            WorkflowDocument.load(Self.mapped(rule: rule, timeout: timeout)).diagnostics.map(\.code)
        }
        #expect(codes("about: \"item\"\n              on_no_answer: held", timeout: "timeout: 30s").isEmpty)
        #expect(codes("on_no_answer: nowhere") == ["undefined_target"])
        #expect(codes("about: \"item +\"").contains("invalid_expression"))
        let noQuestion = WorkflowDocument.load(Self.mapped(rule: "").replacingOccurrences(of: "\"Is this order fraudulent?\"", with: "\" \""))
        #expect(noQuestion.diagnostics.map(\.code) == ["invalid_choice"])
        let long = String(repeating: "é", count: 2_100)  // 4 200 bytes
        #expect(WorkflowDocument.load(Self.mapped(rule: "").replacingOccurrences(of: "Is this order fraudulent?", with: long))
            .diagnostics.map(\.message) == ["the `ai` question has 4200 bytes, more than 4096"])
        #expect(codes("about: \"\"\n              on_no_answer: \"\"").sorted() == ["invalid_expression", "undefined_target"])
        let literal = WorkflowDocument.load(Self.mapped(rule: "").replacingOccurrences(of: "fraudulent?", with: "fraudulent? key sk-abcdefghijklmnopqrstuvwxyz"))
        #expect(literal.diagnostics.map(\.code) == ["literal_secret"])
        let whenRule = WorkflowDocument.load(Self.workflow.replacingOccurrences(of: "next: large", with: "about: \"input\"\n        next: large"))
        #expect(whenRule.diagnostics.map(\.code) == ["invalid_choice"])
        let rulesOnly = WorkflowDocument.load("""
            apiVersion: lazyrabbit/v1
            name: plain
            start: route
            states:
              route: { type: choice, timeout: 30s, choices: [ { when: "true", next: done } ] }
              done: { type: succeed }
            """)
        #expect(rulesOnly.diagnostics.map(\.code) == ["invalid_timeout"], "a timeout bounds questions only")
    }
}
