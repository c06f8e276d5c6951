/// A chain of models on one endpoint: when the model asked fails for a reason another model may
/// not share — no answer in time, no connection, a 429 or a 5xx — the next model of
/// ``fallbacks`` is asked, in order (`LAZYRABBIT_LLM_FALLBACK_MODELS`). An error the request
/// itself causes (a 4xx, a refusal, a bad answer) is not retried elsewhere. The answer says which
/// model gave it (``ChatCompletion/model``), so its tokens count for that model.
///
/// ```swift
/// let model = FallbackChatModel(ChatCompletionClient(configuration: configuration), defaultModel: "gpt-4o", fallbacks: ["gpt-4o-mini"])
/// ```
public struct FallbackChatModel: ChatModel {
    public let model: any ChatModel
    /// The model a request without one asks (so it is not asked twice).
    public let defaultModel: String
    /// The models asked in turn after the first fails.
    public let fallbacks: [String]

    /// `fallbacks` keeps each model once, in its first place.
    public init(_ model: any ChatModel, defaultModel: String, fallbacks: [String]) {
        self.model = model
        self.defaultModel = defaultModel
        var seen: Set<String> = []
        self.fallbacks = fallbacks.filter { seen.insert($0).inserted }
    }

    /// The failures worth asking another model about.
    static let fallsBackOn: Set<LLMError.Kind> = [.timeout, .connection, .rateLimited, .serverError]

    public func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion {
        let first = request.model ?? defaultModel
        var failures: [String] = []
        var last: LLMError?
        var retryAfter: Int?
        for name in [first] + fallbacks.filter({ $0 != first }) {
            var attempt = request
            attempt.model = name
            do {
                return try await model.complete(attempt)
            } catch {
                guard Self.fallsBackOn.contains(error.kind) else { throw error }
                failures.append("\(name): \(error.message)")
                last = error
                retryAfter = [retryAfter, error.retryAfterMilliseconds].compactMap { $0 }.max()
            }
        }
        guard let last else { throw LLMError(.unavailable, "no model to ask") }
        // Every model failed: the last failure's class, every model's reason, the longest wait any asked for.
        throw LLMError(last.kind, failures.joined(separator: "; then "), retryAfterMilliseconds: retryAfter)
    }
}
