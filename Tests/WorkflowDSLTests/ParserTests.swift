import Testing
import WorkflowJSON
@testable import WorkflowDSL

@Suite("Parsing valid documents")
struct ParserTests {
    @Test func everyStateAndCallbackTypeParses() throws {
        let result = Fixtures.load(Fixtures.everything)
        #expect(result.diagnostics == [])
        let definition = try #require(result.definition)
        #expect(definition.name == "customer-onboarding")
        #expect(definition.timeout == .seconds(3600))
        #expect(definition.graph.order == ["validate", "route", "vip", "standard", "review", "setup", "each_line", "compute", "cool_off", "note", "done", "rejected"])
        let kinds = Set(definition.graph.orderedStates.map(\.typeName))
        #expect(kinds == Set(StateKind.allTypeNames))
        #expect(definition.onError == ErrorPolicy(strategy: .auto, fallback: "rejected"))
    }

    @Test func taskFieldsAreRead() throws {
        let definition = try #require(Fixtures.load(Fixtures.everything).definition)
        let validate = try #require(definition.graph.states["validate"])
        guard case .task(.http(let http)) = validate.kind else { Issue.record("not http"); return }
        #expect(http.method == "POST")
        #expect(http.headers == ["Authorization": "Bearer ${secret.CRM_TOKEN}"])
        #expect(http.query == ["source": "onboarding"])
        #expect(http.body == .object(["email": "${input.email}"]))
        #expect(validate.output == "validation")
        #expect(validate.timeout == .seconds(30))
        #expect(validate.retry == RetryPolicy(maxAttempts: 3, backoff: .exponential, initial: .seconds(1), max: .seconds(30), nonRetryable: ["http_4xx"]))
        #expect(validate.catchers == [Catcher(errors: ["timeout"], next: "rejected", output: "failure")])
        #expect(validate.next == "route")
    }

    @Test func callbacksOfEveryType() throws {
        let definition = try #require(Fixtures.load(Fixtures.everything).definition)
        let all = GraphScope.all(in: definition).flatMap(\.graph.orderedStates)
        let callbacks = all.compactMap { state -> Callback? in
            if case .task(let callback) = state.kind { return callback }
            return nil
        }
        #expect(Set(callbacks.map(\.typeName)) == Set(Callback.allTypeNames))
        #expect(callbacks.contains(.delay(DelayCallback(duration: WorkflowDuration(milliseconds: 500)))))
        #expect(callbacks.contains(.log(LogCallback(message: "VIP ${input.email}", level: .info))))
        #expect(callbacks.contains(.llm(LLMCallback(prompt: "Write a welcome for ${input.email}", temperature: 0.2, maxTokens: 200))))
        #expect(callbacks.contains(.handler(HandlerCallback(name: "create_account", input: .object(["email": "${input.email}"]), queue: "accounts"))))
        #expect(callbacks.contains(.workflow(ChildWorkflowCallback(workflow: "process-line", input: .object(["line": "${item}"])))))
    }

    @Test func transformKeepsDocumentOrder() throws {
        let definition = try #require(Fixtures.load(Fixtures.everything).definition)
        guard case .task(.transform(let transform)) = definition.graph.states["compute"]?.kind else { Issue.record("not transform"); return }
        #expect(transform.set.map(\.path) == ["total", "flag", "alpha"])
        #expect(transform.set[1].value == .bool(true))
    }

    @Test func choiceParallelMapWaitApprovalFields() throws {
        let definition = try #require(Fixtures.load(Fixtures.everything).definition)
        let states = definition.graph.states
        #expect(states["route"]?.kind == .choice(ChoiceSpec(choices: [
            ChoiceRule(when: "validation.tier == 'gold'", next: "vip"), ChoiceRule(ai: "Customer looks risky?", next: "review"),
        ], defaultNext: "standard")))
        guard case .parallel(let parallel) = states["setup"]?.kind, case .map(let map) = states["each_line"]?.kind else {
            Issue.record("wrong kinds"); return
        }
        #expect(parallel.branches.map(\.start) == ["welcome", "account"])
        #expect(map.items == "input.lines" && map.maxConcurrency == 4 && map.iterator.start == "line")
        #expect(states["cool_off"]?.kind == .wait(WaitSpec(duration: .seconds(86_400))))
        #expect(states["review"]?.kind == .approval(ApprovalSpec(message: "Approve ${input.email}?", timeout: .seconds(172_800), onTimeout: "rejected", onReject: "rejected")))
        #expect(states["rejected"]?.kind == .fail(FailSpec(error: "validation_failed", cause: "rejected ${input.email}")))
        #expect(states["note"]?.kind == .pass(result: .object(["done": true])))
    }

    @Test func inputSchema() throws {
        let definition = try #require(Fixtures.load(Fixtures.everything).definition)
        #expect(definition.input?.fields == [
            InputSchema.Field(name: "email", type: .string, required: true, description: "Customer email"),
            InputSchema.Field(name: "tier", type: .string, defaultValue: "standard"),
        ])
    }

    @Test func jsonDocumentsParse() throws {
        let json = """
            {
              "apiVersion": "lazyrabbit/v1",
              "name": "json-flow",
              "start": "call",
              "states": {
                "call": {"type": "task", "callback": {"type": "http", "url": "https://api.example.com/x", "body": {"n": 1, "f": 1.5, "ok": false, "none": null}}, "next": "done"},
                "done": {"type": "succeed"}
              }
            }
            """
        let result = Fixtures.load(json)
        #expect(result.isValid)
        guard case .task(.http(let http)) = result.definition?.graph.states["call"]?.kind else { Issue.record("not http"); return }
        #expect(http.body == .object(["n": 1, "f": 1.5, "ok": false, "none": .null]))
        #expect(http.method == "GET")
    }

    @Test func parseOnlySkipsValidation() {
        let result = WorkflowDocument.parse(Fixtures.minimal(start: "nowhere"))
        #expect(result.diagnostics == [])
        #expect(result.definition?.graph.start == "nowhere")
        #expect(!Fixtures.load(Fixtures.minimal(start: "nowhere")).isValid)
    }

    @Test func durationsOfEveryUnit() throws {
        let states = """
              first: { type: wait, duration: 1h30m, next: second }
              second: { type: wait, duration: 250ms, next: third }
              third: { type: wait, duration: 45, next: done }
              done: { type: succeed }
            """
        let graph = try #require(Fixtures.load(Fixtures.minimal(states: states)).definition?.graph)
        #expect(graph.states["first"]?.kind == .wait(WaitSpec(duration: WorkflowDuration(milliseconds: 5_400_000))))
        #expect(graph.states["second"]?.kind == .wait(WaitSpec(duration: WorkflowDuration(milliseconds: 250))))
        #expect(graph.states["third"]?.kind == .wait(WaitSpec(duration: .seconds(45))))
    }
}

@Suite("Input schema")
struct InputSchemaTests {
    @Test func shorthandForm() throws {
        let source = Fixtures.minimal() + "\ninput: { required: [email], properties: { email: { type: string }, age: { type: integer, default: 3 } } }"
        let result = Fixtures.load(source)
        #expect(result.isValid)
        #expect(result.definition?.input?.fields == [
            InputSchema.Field(name: "email", type: .string, required: true),
            InputSchema.Field(name: "age", type: .integer, defaultValue: 3),
        ])
    }

    @Test func unknownFieldTypeHasHint() {
        let source = Fixtures.minimal() + "\ninput: { fields: { email: { type: strng } } }"
        #expect(Fixtures.first("invalid_value", in: source)?.hint == "did you mean `string`?")
    }
}
