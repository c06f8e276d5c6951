public import Foundation
import WorkflowDSL

/// Where the language model is: any server that speaks OpenAI's chat completions API (OpenAI,
/// Azure OpenAI's compatible endpoint, vLLM, llama.cpp's server, Ollama's `/v1`, LM Studio), or
/// Anthropic's Messages API (``Provider/anthropic``). Operators configure it; workflows only name
/// a `model`.
///
/// ```swift
/// // LAZYRABBIT_LLM_URL=http://127.0.0.1:11434/v1 LAZYRABBIT_LLM_MODEL=llama3.1
/// if let configuration = try LLMConfiguration.fromEnvironment() {
///     let client = ChatCompletionClient(configuration: configuration)
/// }
/// ```
public struct LLMConfiguration: Sendable, Equatable {
    /// The wire format the endpoint speaks.
    public enum Provider: String, Sendable, CaseIterable {
        /// `POST …/chat/completions` (``ChatCompletionClient``).
        case openai
        /// `POST …/messages`, Anthropic's Messages API (``AnthropicMessagesClient``).
        case anthropic
    }

    /// The wire format (`LAZYRABBIT_LLM_PROVIDER`, default `openai`).
    public var provider: Provider = .openai
    /// The API's base URL, ending before `/chat/completions` or `/messages` (`https://api.openai.com/v1`,
    /// `https://api.anthropic.com/v1`).
    public var baseURL: String
    /// Sent as `Authorization: Bearer <key>` when set.
    public var apiKey: String?
    /// The model asked when a request names none.
    public var defaultModel: String
    /// The models a workflow may name, the default model among them; `nil`: any.
    public var allowedModels: Set<String>?
    /// The models asked in turn when the one asked does not answer (``FallbackChatModel``).
    public var fallbackModels: [String] = []
    /// How long answers to deterministic requests are kept and reused (``AnswerCache``);
    /// `nil`: not at all.
    public var cacheLifetime: Duration?
    /// How long one request may take.
    public var timeout: Duration
    /// The largest answer read, in bytes.
    public var maxResponseBytes: Int

    public init(
        provider: Provider = .openai, baseURL: String, apiKey: String? = nil, defaultModel: String = standardModel,
        allowedModels: Set<String>? = nil, timeout: Duration = .seconds(60), maxResponseBytes: Int = 1 << 20
    ) {
        self.provider = provider
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.defaultModel = defaultModel
        self.allowedModels = allowedModels
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// The model asked when neither a request nor `LAZYRABBIT_LLM_MODEL` names one.
    public static let standardModel = "gpt-4o-mini"
    /// The same for ``Provider/anthropic``.
    public static let standardAnthropicModel = "claude-3-5-haiku-latest"

    /// `LAZYRABBIT_LLM_URL` (required), `LAZYRABBIT_LLM_PROVIDER`, `LAZYRABBIT_LLM_API_KEY`, `LAZYRABBIT_LLM_MODEL`,
    /// `LAZYRABBIT_LLM_MODELS`, `LAZYRABBIT_LLM_CACHE_SECONDS`, `LAZYRABBIT_LLM_FALLBACK_MODELS`; `nil` when no URL is set: there is no language model, and what
    /// needs one says so. A cache lifetime that is not a number of seconds or a duration is an error,
    /// so a typo does not turn the cache off unnoticed.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LLMError) -> LLMConfiguration? {
        guard let url = environment["LAZYRABBIT_LLM_URL"].flatMap(\.nonEmpty) else { return nil }
        let provider = try provider(environment)
        var configuration = LLMConfiguration(provider: provider,
            baseURL: url, apiKey: environment["LAZYRABBIT_LLM_API_KEY"].flatMap(\.nonEmpty),
            defaultModel: defaultModel(environment), allowedModels: allowedModels(environment))
        configuration.cacheLifetime = try cacheLifetime(environment["LAZYRABBIT_LLM_CACHE_SECONDS"])
        configuration.fallbackModels = (environment["LAZYRABBIT_LLM_FALLBACK_MODELS"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return configuration
    }

    /// `LAZYRABBIT_LLM_CACHE_SECONDS`: whole seconds (`600`) or a duration (`10m`, `1h`); unset,
    /// empty or zero: no cache.
    static func cacheLifetime(_ value: String?) throws(LLMError) -> Duration? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let milliseconds = WorkflowDuration(parsing: text)?.milliseconds else {
            throw LLMError(
                .misconfigured, "LAZYRABBIT_LLM_CACHE_SECONDS=\(text.debugDescription) is not a number of seconds (600) or a duration (10m, 1h); "
                    + "unset it, or set 0, for no cache")
        }
        return milliseconds > 0 ? .milliseconds(milliseconds) : nil
    }

    /// The models workflows may name: `LAZYRABBIT_LLM_MODELS` (comma-separated) and the default
    /// model; `nil` (any model) when it is unset. Validation refuses other models where a workflow
    /// is stored, and ``LLMCallRunner`` where it runs.
    public static func allowedModels(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Set<String>? {
        let names = (environment["LAZYRABBIT_LLM_MODELS"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard names.contains(where: { !$0.isEmpty }) else { return nil }
        return Set(names.filter { !$0.isEmpty }).union([defaultModel(environment)])
    }

    private static func defaultModel(_ environment: [String: String]) -> String {
        let standard = (try? provider(environment)) == .anthropic ? standardAnthropicModel : standardModel
        return environment["LAZYRABBIT_LLM_MODEL"].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap(\.nonEmpty) ?? standard
    }

    /// `LAZYRABBIT_LLM_PROVIDER`: `openai` (also when unset) or `anthropic`.
    private static func provider(_ environment: [String: String]) throws(LLMError) -> Provider {
        let name = (environment["LAZYRABBIT_LLM_PROVIDER"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if name.isEmpty { return .openai }
        guard let provider = Provider(rawValue: name) else {
            throw LLMError(.misconfigured, "LAZYRABBIT_LLM_PROVIDER=\(name.debugDescription) is not one of \(Provider.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return provider
    }

    /// The model to ask: this endpoint's client for its provider, falling back to
    /// ``fallbackModels`` when it fails.
    public func chatModel() -> any ChatModel {
        let client: any ChatModel = switch provider {
        case .openai: ChatCompletionClient(configuration: self)
        case .anthropic: AnthropicMessagesClient(configuration: self)
        }
        return fallbackModels.isEmpty ? client : FallbackChatModel(client, defaultModel: defaultModel, fallbacks: fallbackModels)
    }

    /// `path` under the base URL, before any query string (Azure's `…/openai/deployments/NAME?api-version=…`).
    func endpointURL(_ path: String) -> String {
        let (base, query) = baseURL.firstIndex(of: "?").map { (baseURL[..<$0], baseURL[$0...]) } ?? (baseURL[...], "")
        return (base.hasSuffix("/") ? String(base.dropLast()) : String(base)) + "/" + path + query
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
