import Foundation
public import WorkflowDSL
public import WorkflowJSON

/// Runs an `llm` callback (docs/dsl.md, "llm") against a ``ChatModel``. The result is
/// `{"text": ..., "model": ..., "usage": {"prompt_tokens": N, "completion_tokens": N}}`; with a
/// `schema`, the model is asked for JSON only and the parsed answer is also under `"json"` — an
/// answer that is not JSON of that shape fails with `llm_schema_mismatch` (retried like any
/// failure: a model may answer better the next time).
///
/// ```swift
/// let runner = LLMCallRunner(model: ChatCompletionClient(configuration: configuration))
/// let result = try await runner.run(LLMCallback(prompt: "Summarise: ..."))
/// ```
public struct LLMCallRunner: Sendable {
    public let model: any ChatModel

    public init(model: any ChatModel) {
        self.model = model
    }

    public func run(_ call: LLMCallback) async throws(LLMError) -> JSONValue {
        var system = call.system
        if let schema = call.schema {
            system = [system, "Answer with one JSON value only, no prose and no code fence, matching this JSON Schema: \(schema.encodedString())"]
                .compactMap { $0 }.joined(separator: "\n\n")
        }
        let messages = (system.map { [ChatMessage(.system, $0)] } ?? []) + [ChatMessage(.user, call.prompt)]
        let completion = try await model.complete(ChatRequest(
            messages: messages, model: call.model, temperature: call.temperature, maxTokens: call.maxTokens, wantsJSON: call.schema != nil))
        var result: [String: JSONValue] = [
            "text": .string(completion.text), "model": .string(completion.model),
            "usage": ["prompt_tokens": .integer(completion.promptTokens), "completion_tokens": .integer(completion.completionTokens)],
        ]
        if let schema = call.schema {
            guard let answer = try? JSONValue(jsonString: Fenced.body(of: completion.text)) else {
                throw LLMError(.schemaMismatch, "the answer is not JSON: \(completion.text.prefix(200))")
            }
            let problems = JSONShape(schema).problems(in: answer)
            guard problems.isEmpty else { throw LLMError(.schemaMismatch, "the answer does not match the schema: " + problems.joined(separator: "; ")) }
            result["json"] = answer
        }
        return .object(result)
    }
}

/// Models often wrap what they were asked for in a Markdown code fence; this takes it out.
enum Fenced {
    /// The text inside the first ```` ``` ```` fence (its language tag dropped), or all of `text`
    /// trimmed when there is none.
    static func body(of text: String) -> String {
        guard let open = text.range(of: "```") else { return text.trimmingCharacters(in: .whitespacesAndNewlines) }
        let afterOpen = text[open.upperBound...]
        let firstLineEnd = afterOpen.firstIndex(of: "\n") ?? afterOpen.endIndex
        let content = afterOpen[firstLineEnd...]
        let close = content.range(of: "```")?.lowerBound ?? content.endIndex
        return content[..<close].trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension LLMCallRunner {
    /// A runner for the model ``LLMConfiguration/fromEnvironment(_:)`` finds; `nil` when none is set.
    public static func fromEnvironment() -> LLMCallRunner? {
        LLMConfiguration.fromEnvironment().map { LLMCallRunner(model: ChatCompletionClient(configuration: $0)) }
    }
}
