import Synchronization
public import WorkflowJSON

/// Answers to deterministic requests (`temperature` 0), kept for a while so that an identical
/// request — the same `ai:` question about the same data, the same `llm` prompt at temperature 0
/// — is answered again without asking (and paying) the model; identical requests asked at the
/// same time share one call. ``LLMCallRunner`` keeps only answers it used (a JSON answer that
/// fits its schema, not cut off at the token limit): a failure or a refused answer is asked again.
/// Kept in this process only, oldest dropped first beyond ``maxBytes``.
///
/// ```swift
/// let runner = LLMCallRunner(model: client, cache: AnswerCache(lifetime: .seconds(3600)))
/// ```
public final class AnswerCache: Sendable {
    /// The most answer text kept, in UTF-8 bytes.
    public static let maxBytes = 32 << 20

    private struct Entry {
        let completion: ChatCompletion
        let keptUntil: ContinuousClock.Instant
        var bytes: Int { completion.text.utf8.count }
    }

    private struct Store {
        var entries: [String: Entry] = [:]
        /// Keys oldest first, for dropping.
        var order: [String] = []
        var bytes = 0
        /// Calls in flight, by key: identical requests wait for them.
        var asking: [String: Task<ChatCompletion, any Error>] = [:]
    }

    public let lifetime: Duration
    private let store = Mutex(Store())

    public init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    /// The answer to `request`: a kept one or the one an identical request in flight gets (both
    /// with ``ChatCompletion/cached`` set: nothing more was spent), else `ask()`'s. Requests that
    /// are not deterministic always `ask()`.
    func answer(to request: ChatRequest, asking ask: @escaping @Sendable () async throws(LLMError) -> ChatCompletion) async throws(LLMError) -> ChatCompletion {
        guard request.temperature == 0 else { return try await ask() }
        let key = Self.key(of: request)
        let (kept, call, shared) = store.withLock { store -> (ChatCompletion?, Task<ChatCompletion, any Error>?, Bool) in
            if let entry = store.entries[key], ContinuousClock.now < entry.keptUntil { return (entry.completion, nil, true) }
            if let inFlight = store.asking[key] { return (nil, inFlight, true) }
            let call = Task<ChatCompletion, any Error> { try await ask() }
            store.asking[key] = call
            return (nil, call, false)
        }
        if var kept {
            kept.cached = true
            return kept
        }
        guard let call else { throw LLMError(.badResponse, "no answer") }
        defer { if !shared { _ = store.withLock { $0.asking.removeValue(forKey: key) } } }
        do {
            // The one who asked takes its cancellation (a task's timeout) to the call; those who share it wait for its end.
            var completion = try await withTaskCancellationHandler { try await call.value } onCancel: { if !shared { call.cancel() } }
            completion.cached = shared
            return completion
        } catch let error as LLMError {
            throw error
        } catch {
            throw LLMError(.cancelled, "the call was cancelled")
        }
    }

    /// Keeps `completion` as the answer to `request` until ``lifetime`` passes (deterministic
    /// requests only).
    func keep(_ completion: ChatCompletion, for request: ChatRequest) {
        guard request.temperature == 0, !completion.cached else { return }
        let key = Self.key(of: request)
        let entry = Entry(completion: completion, keptUntil: ContinuousClock.now + lifetime)
        guard entry.bytes <= Self.maxBytes / 4 else { return }
        store.withLock { store in
            if let old = store.entries.updateValue(entry, forKey: key) {
                store.bytes -= old.bytes
                store.order.removeAll { $0 == key }
            }
            store.order.append(key)
            store.bytes += entry.bytes
            while store.bytes > Self.maxBytes, !store.order.isEmpty {
                let oldest = store.order.removeFirst()
                if let dropped = store.entries.removeValue(forKey: oldest) { store.bytes -= dropped.bytes }
            }
        }
    }

    /// Everything that shapes the answer, as one string.
    static func key(of request: ChatRequest) -> String {
        JSONValue.object([
            "messages": .array(request.messages.map(\.json)), "model": request.model.map(JSONValue.string) ?? .null,
            "max_tokens": request.maxTokens.map(JSONValue.integer) ?? .null, "schema": request.answerSchema ?? .null,
        ]).encodedString()
    }
}
