import Crypto
import Foundation
import Synchronization
public import WorkflowJSON

/// Answers to deterministic requests (`temperature` 0), kept for a while so that an identical
/// request — the same `ai:` question about the same data, the same `llm` prompt at temperature 0
/// — is answered again without asking (and paying) the model; identical requests asked at the
/// same time share one call. ``LLMCallRunner`` keeps only answers it used (a JSON answer that
/// fits its schema, not cut off at the token limit): a failure or a refused answer is asked again.
/// Kept in this process, oldest dropped first beyond ``maxBytes``, and — with a ``SharedAnswerStore``
/// (workers: Redis) — for other processes too: on a miss here the shared store is asked before
/// the model, and an answer kept here is kept there.
///
/// ```swift
/// let runner = LLMCallRunner(model: client, cache: AnswerCache(lifetime: .seconds(3600), shared: RedisAnswerStore(pool: redis)))
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
        var asking: [String: SharedCall] = [:]
    }

    public let lifetime: Duration
    /// Answers kept for other processes too; `nil`: this process only.
    public let shared: (any SharedAnswerStore)?
    private let store = Mutex(Store())

    public init(lifetime: Duration, shared: (any SharedAnswerStore)? = nil) {
        self.lifetime = lifetime
        self.shared = shared
    }

    /// The answer to `request`: a kept one (here, else in the shared store) or the one an identical
    /// request in flight gets (with ``ChatCompletion/cached`` set: nothing more was spent), else
    /// `ask()`'s. Requests that are not deterministic always `ask()`.
    func answer(to request: ChatRequest, asking ask: @escaping @Sendable () async throws(LLMError) -> ChatCompletion) async throws(LLMError) -> ChatCompletion {
        guard request.temperature == 0 else { return try await ask() }
        let key = Self.key(of: request)
        let (kept, call, ticket) = store.withLock { store -> (ChatCompletion?, SharedCall?, Int) in
            if let entry = store.entries[key], ContinuousClock.now < entry.keptUntil { return (entry.completion, nil, 0) }
            if let inFlight = store.asking[key], let ticket = inFlight.join() { return (nil, inFlight, ticket) }
            let call = SharedCall({ [shared = self.shared] () async throws(LLMError) -> ChatCompletion in
                if let shared, let bytes = await shared.value(forKey: Self.digest(of: key)), var found = Self.completion(from: bytes) {
                    found.cached = true
                    return found
                }
                return try await ask()
            }, done: { [weak self] in self?.forget(key) })
            store.asking[key] = call
            return (nil, call, SharedCall.creatorTicket)
        }
        if var kept {
            kept.cached = true
            return kept
        }
        guard let call else { throw LLMError(.badResponse, "no answer") }
        // Each waiter leaves alone when its task is cancelled (a timeout); the call stops once all have.
        var completion = try await call.result(for: ticket).get()
        completion.cached = completion.cached || ticket != SharedCall.creatorTicket
        return completion
    }

    /// How many requests wait for calls in flight.
    var waitingInFlight: Int { store.withLock { $0.asking.values.reduce(0) { $0 + $1.waiting } } }

    /// Forgets the call in flight for `key` once it has ended (a newer one for the key stays).
    private func forget(_ key: String) {
        store.withLock { store in
            if store.asking[key]?.isSettled == true { store.asking.removeValue(forKey: key) }
        }
    }

    /// Keeps `completion` as the answer to `request` until ``lifetime`` passes, here and in the
    /// shared store (deterministic requests only).
    func keep(_ completion: ChatCompletion, for request: ChatRequest) async {
        guard request.temperature == 0, !completion.cached else { return }
        let key = Self.key(of: request)
        let entry = Entry(completion: completion, keptUntil: ContinuousClock.now + lifetime)
        guard entry.bytes <= Self.maxBytes / 4 else { return }
        if let shared, entry.bytes <= Self.maxSharedBytes {
            await shared.keep(Self.bytes(of: completion), forKey: Self.digest(of: key), lifetime: lifetime)
        }
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

    /// The longest answer text kept in the shared store, in UTF-8 bytes.
    static let maxSharedBytes = 1 << 20

    /// The shared store's key of `key`: its SHA-256, in hex.
    static func digest(of key: String) -> String {
        SHA256.hash(data: Array(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A completion as the shared store keeps it (JSON).
    static func bytes(of completion: ChatCompletion) -> [UInt8] {
        var json: [String: JSONValue] = [
            "text": .string(completion.text), "model": .string(completion.model),
            "prompt_tokens": .integer(completion.promptTokens), "completion_tokens": .integer(completion.completionTokens),
        ]
        if let finishReason = completion.finishReason { json["finish_reason"] = .string(finishReason) }
        return Array(JSONValue.object(json).encodedString().utf8)
    }

    /// The completion in `bytes` from the shared store, or `nil` if they are not one.
    static func completion(from bytes: [UInt8]) -> ChatCompletion? {
        guard let json = try? JSONParser.parse(bytes), let text = json["text"]?.stringValue, let model = json["model"]?.stringValue,
            case .integer(let prompt)? = json["prompt_tokens"], case .integer(let completion)? = json["completion_tokens"]
        else { return nil }
        return ChatCompletion(text: text, model: model, promptTokens: prompt, completionTokens: completion, finishReason: json["finish_reason"]?.stringValue)
    }

    /// Everything that shapes the answer, as one string.
    static func key(of request: ChatRequest) -> String {
        JSONValue.object([
            "messages": .array(request.messages.map(\.json)), "model": request.model.map(JSONValue.string) ?? .null,
            "max_tokens": request.maxTokens.map(JSONValue.integer) ?? .null, "schema": request.answerSchema ?? .null,
        ]).encodedString()
    }
}
