import Intelligence
import LocalServers
import Testing
import WorkflowDSL
import WorkflowJSON

@Suite struct LLMCallRunnerTests {
    @Test func aPlainAnswerIsTheResultsText() async throws {
        let server = try ChatCompletionsServer([.content("A short summary.")])
        defer { server.stop() }
        let runner = LLMCallRunner(model: ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL)))
        let result = try await runner.run(LLMCallback(prompt: "Summarise: ...", system: "You summarise.", model: "tiny"))
        #expect(result == [
            "text": "A short summary.", "model": "tiny", "usage": ["prompt_tokens": 12, "completion_tokens": 7], "finish_reason": "stop",
        ])
        #expect(server.bodies.first?["messages"]?.arrayValue?.count == 2)
    }

    /// A model the operator did not allow is refused before anything is sent; leaving `model` out
    /// asks the default model, which is always allowed.
    @Test func aModelNotAllowedIsRefusedBeforeAnyRequest() async throws {
        let server = try ChatCompletionsServer([.content("fine")])
        defer { server.stop() }
        let runner = LLMCallRunner(model: ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL)), allowedModels: ["tiny"])
        do {
            _ = try await runner.run(LLMCallback(prompt: "hi", model: "huge"))
            Issue.record("expected llm_model_not_allowed")
        } catch {
            #expect(error.errorClass == "llm_model_not_allowed" && error.message.contains("`huge`") && error.message.contains("tiny"), "\(error)")
        }
        #expect(server.bodies.isEmpty)
        #expect(try await runner.run(LLMCallback(prompt: "hi"))["text"] == "fine")
        #expect(!RetryPolicy(maxAttempts: 5).allowsRetry(after: 1, errorClass: "llm_model_not_allowed"))
    }

    /// With a schema the model is asked for JSON (the schema in the system message), a fenced
    /// answer is taken out of its fence, and an answer of another shape is `llm_schema_mismatch`
    /// — also one naming a member twice, which one reader would take by its first, another by its last.
    @Test func aSchemaAsksForJSONAndChecksTheAnswer() async throws {
        let schema: JSONValue = ["type": "object", "required": ["score"], "properties": ["score": ["type": "integer"]]]
        let server = try ChatCompletionsServer([
            .content("```json\n{\"score\": 7}\n```"), .content("{\"score\": \"high\"}"), .content("not json"), .content("{\"score\": 1, \"score\": 9}"),
            .content("```json\n{\"score\": 1, \"score\": 9}\n```"),
        ])
        defer { server.stop() }
        let runner = LLMCallRunner(model: ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL)))
        let call = LLMCallback(prompt: "Rate it", schema: schema)
        #expect(try await runner.run(call)["json"] == ["score": 7])
        let body = try #require(server.bodies.first)
        #expect(body["response_format"] == ["type": "json_schema", "json_schema": ["name": "answer", "schema": schema, "strict": false]])
        #expect(body["messages"]?.arrayValue?.first?["content"]?.stringValue?.contains(schema.encodedString()) == true)
        let expectations = [
            "$.score: expected integer, got string", "the answer cannot be read as JSON (line 1, column 1: expected a value)",
            #"line 1, column 14: the member name "score" appears twice"#, #"line 1, column 14: the member name "score" appears twice"#,
        ]
        for expected in expectations {
            do {
                _ = try await runner.run(call)
                Issue.record("expected llm_schema_mismatch")
            } catch {
                #expect(error.kind == .schemaMismatch)
                #expect(error.message.contains(expected), "\(error.message)")
            }
        }
    }

    /// Backticks inside the answer are not a fence; a fence is a line of its own.
    @Test func onlyAWholeLineOpensAFence() async throws {
        let schema: JSONValue = ["type": "object"]
        let server = try ChatCompletionsServer([.content(#"{"hint": "use ```x``` here"}"#), .content("Sure:\n```json\n{\"a\": 1}\n```\nDone.")])
        defer { server.stop() }
        let runner = LLMCallRunner(model: ChatCompletionClient(configuration: LLMConfiguration(baseURL: server.baseURL)))
        #expect(try await runner.run(LLMCallback(prompt: "p", schema: schema))["json"] == ["hint": "use ```x``` here"])
        #expect(try await runner.run(LLMCallback(prompt: "p", schema: schema))["json"] == ["a": 1])
    }

    @Test func shapesCheckTypesRequiredItemsAndEnums() {
        let shape = JSONShape([
            "type": "object", "required": ["tags", "level"],
            "properties": ["tags": ["type": "array", "items": ["type": "string"]], "level": ["enum": ["low", "high"]], "n": ["type": "number"]],
        ])
        #expect(shape.problems(in: ["tags": ["a"], "level": "low", "n": 1.5]).isEmpty)
        #expect(shape.problems(in: ["tags": ["a", 2], "level": "mid"]) == [
            "$.level: \"mid\" is not one of [\"low\",\"high\"]", "$.tags[1]: expected string, got integer",
        ])
        #expect(shape.problems(in: ["level": "low"]) == ["$: `tags` is required"])
        #expect(shape.problems(in: [1]) == ["$: expected object, got array"])
    }
}
