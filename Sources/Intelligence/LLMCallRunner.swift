import Foundation
public import WorkflowDSL
public import WorkflowJSON

/// Runs an `llm` callback (docs/dsl.md, "llm") against a ``ChatModel``. The result is
/// `{"text": ..., "model": ..., "usage": {"prompt_tokens": N, "completion_tokens": N},
/// "finish_reason": "stop"}` (`"length"` when cut off; `"cached": true` when its ``AnswerCache``
/// answered without asking the model); with a `schema`, the model is asked for
/// JSON of it (`response_format: json_schema`) and the parsed answer is also under `"json"` — an
/// answer that is not JSON of that shape fails with `llm_schema_mismatch` (retried like any
/// failure: a model may answer better the next time).
///
/// ```swift
/// let runner = LLMCallRunner(model: ChatCompletionClient(configuration: configuration))
/// let result = try await runner.run(LLMCallback(prompt: "Summarise: ..."))
/// ```
public struct LLMCallRunner: Sendable {
    public let model: any ChatModel
    /// The models a callback may name; `nil`: any (``LLMConfiguration/allowedModels``).
    public let allowedModels: Set<String>?
    /// Where answers to deterministic requests are reused; `nil`: never.
    public let cache: AnswerCache?

    public init(model: any ChatModel, allowedModels: Set<String>? = nil, cache: AnswerCache? = nil) {
        self.model = model
        self.allowedModels = allowedModels
        self.cache = cache
    }

    public func run(_ call: LLMCallback) async throws(LLMError) -> JSONValue {
        if let named = call.model, let allowedModels, !allowedModels.contains(named) {
            throw LLMError(.modelNotAllowed, "the model `\(named)` is not allowed here (allowed: \(allowedModels.sorted().joined(separator: ", ")))")
        }
        var system = call.system
        if let schema = call.schema {
            system = [system, "Answer with one JSON value only, no prose and no code fence, matching this JSON Schema: \(schema.encodedString())"]
                .compactMap { $0 }.joined(separator: "\n\n")
        }
        let messages = (system.map { [ChatMessage(.system, $0)] } ?? []) + [ChatMessage(.user, call.prompt)]
        let request = ChatRequest(
            messages: messages, model: call.model, temperature: call.temperature, maxTokens: call.maxTokens, answerSchema: call.schema)
        let completion: ChatCompletion
        if let cache {
            completion = try await cache.answer(to: request) { [model] () async throws(LLMError) -> ChatCompletion in try await model.complete(request) }
        } else {
            completion = try await model.complete(request)
        }
        var result: [String: JSONValue] = [
            "text": .string(completion.text), "model": .string(completion.model),
            "usage": ["prompt_tokens": .integer(completion.promptTokens), "completion_tokens": .integer(completion.completionTokens)],
            "finish_reason": completion.finishReason.map(JSONValue.string) ?? .null,
        ]
        if completion.cached { result["cached"] = true }
        if let schema = call.schema {
            let answer = try Self.json(in: completion)
            let problems = JSONShape(schema).problems(in: answer)
            guard problems.isEmpty else { throw LLMError(.schemaMismatch, "the answer does not match the schema: " + problems.joined(separator: "; ")) }
            result["json"] = answer
        }
        // Only an answer used whole is reused: not a refused one (thrown above), not one cut off.
        if completion.finishReason != "length" { await cache?.keep(completion, for: request) }
        return .object(result)
    }

    /// The JSON a schema asked for: the answer's text, or the body of its code fence. An object
    /// with a member twice is refused, not read by its first: what the model meant is unclear.
    private static func json(in completion: ChatCompletion) throws(LLMError) -> JSONValue {
        let text = completion.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let fenced = Fenced.body(of: text)
        do {
            // The fence's body when there is one: its errors are the ones that say what went wrong.
            return try JSONParser.parse(Array((fenced == text ? text : fenced).utf8), duplicateKeys: .refuse)
        } catch {
            if fenced != text, let whole = try? JSONParser.parse(Array(text.utf8), duplicateKeys: .refuse) { return whole }
            let cut = completion.finishReason == "length" ? " (cut off at the token limit)" : ""
            throw LLMError(.schemaMismatch, "the answer cannot be read as JSON\(cut) (\(error)): \(completion.text.prefix(200))")
        }
    }
}

/// Models often wrap what they were asked for in a Markdown code fence; this takes it out.
enum Fenced {
    /// The text inside the first fence that opens a line (```` ```yaml ```` and its language tag
    /// dropped) up to the next line that closes it, or all of `text` trimmed when no line opens
    /// one: backticks inside a line of the answer are left alone.
    static func body(of text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let open = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("```") }) else {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let rest = lines[(open + 1)...]
        let close = rest.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "```" } ?? rest.endIndex
        return rest[..<close].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension LLMCallRunner {
    /// A runner for the model ``LLMConfiguration/fromEnvironment(_:)`` finds; `nil` when none is set.
    /// Its answer cache (when `LAZYRABBIT_LLM_CACHE_SECONDS` asks for one) also keeps answers in
    /// `shared`, for other processes.
    public static func fromEnvironment(shared: (any SharedAnswerStore)? = nil) throws(LLMError) -> LLMCallRunner? {
        try LLMConfiguration.fromEnvironment().map { configuration in
            LLMCallRunner(
                model: configuration.chatModel(), allowedModels: configuration.allowedModels,
                cache: configuration.cacheLifetime.map { AnswerCache(lifetime: $0, shared: shared) })
        }
    }
}
