import Synchronization
public import WorkflowJSON

/// A ``ChatModel`` that keeps the answers to deterministic requests (`temperature` 0) for a
/// while, so an identical request — the same `ai:` question about the same data, the same
/// `llm` prompt at temperature 0 — is answered again without asking (and paying) the model.
/// Answers come back with ``ChatCompletion/cached`` set. Kept in this process only, oldest
/// dropped first beyond ``maxBytes`` of answers; failures are never kept.
///
/// ```swift
/// let model = CachingChatModel(ChatCompletionClient(configuration: configuration), lifetime: .seconds(3600))
/// ```
public final class CachingChatModel: ChatModel {
    /// The most answer text kept, in UTF-8 bytes.
    public static let maxBytes = 32 << 20

    private struct Entry {
        let completion: ChatCompletion
        let keptUntil: ContinuousClock.Instant
    }

    private struct Store {
        var entries: [String: Entry] = [:]
        /// Keys oldest first, for dropping.
        var order: [String] = []
        var bytes = 0
    }

    public let model: any ChatModel
    public let lifetime: Duration
    private let store = Mutex(Store())

    public init(_ model: any ChatModel, lifetime: Duration) {
        self.model = model
        self.lifetime = lifetime
    }

    public func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion {
        guard request.temperature == 0 else { return try await model.complete(request) }
        let key = Self.key(of: request)
        if var kept = answer(for: key) {
            kept.cached = true
            return kept
        }
        let completion = try await model.complete(request)
        keep(completion, for: key)
        return completion
    }

    private func answer(for key: String) -> ChatCompletion? {
        store.withLock { store in
            guard let entry = store.entries[key], ContinuousClock.now < entry.keptUntil else { return nil }
            return entry.completion
        }
    }

    private func keep(_ completion: ChatCompletion, for key: String) {
        let size = completion.text.utf8.count + key.utf8.count
        guard size <= Self.maxBytes / 4 else { return }
        let entry = Entry(completion: completion, keptUntil: ContinuousClock.now + lifetime)
        store.withLock { store in
            if let old = store.entries.updateValue(entry, forKey: key) {
                store.bytes -= old.completion.text.utf8.count + key.utf8.count
                store.order.removeAll { $0 == key }
            }
            store.order.append(key)
            store.bytes += size
            while store.bytes > Self.maxBytes, !store.order.isEmpty {
                let oldest = store.order.removeFirst()
                if let dropped = store.entries.removeValue(forKey: oldest) {
                    store.bytes -= dropped.completion.text.utf8.count + oldest.utf8.count
                }
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
