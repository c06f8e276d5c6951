public import Foundation

/// Where the language model is: any server that speaks OpenAI's chat completions API (OpenAI,
/// Azure OpenAI's compatible endpoint, vLLM, llama.cpp's server, Ollama's `/v1`, LM Studio).
/// Operators configure it; workflows only name a `model`.
///
/// ```swift
/// // LAZYRABBIT_LLM_URL=http://127.0.0.1:11434/v1 LAZYRABBIT_LLM_MODEL=llama3.1
/// if let configuration = LLMConfiguration.fromEnvironment() {
///     let client = ChatCompletionClient(configuration: configuration)
/// }
/// ```
public struct LLMConfiguration: Sendable, Equatable {
    /// The API's base URL, ending before `/chat/completions` (`https://api.openai.com/v1`).
    public var baseURL: String
    /// Sent as `Authorization: Bearer <key>` when set.
    public var apiKey: String?
    /// The model asked when a request names none.
    public var defaultModel: String
    /// How long one request may take.
    public var timeout: Duration
    /// The largest answer read, in bytes.
    public var maxResponseBytes: Int

    public init(
        baseURL: String, apiKey: String? = nil, defaultModel: String = "gpt-4o-mini", timeout: Duration = .seconds(60),
        maxResponseBytes: Int = 1 << 20
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.defaultModel = defaultModel
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// `LAZYRABBIT_LLM_URL` (required), `LAZYRABBIT_LLM_API_KEY`, `LAZYRABBIT_LLM_MODEL`; `nil`
    /// when no URL is set: there is no language model, and what needs one says so.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> LLMConfiguration? {
        guard let url = environment["LAZYRABBIT_LLM_URL"].flatMap(\.nonEmpty) else { return nil }
        var configuration = LLMConfiguration(baseURL: url, apiKey: environment["LAZYRABBIT_LLM_API_KEY"].flatMap(\.nonEmpty))
        if let model = environment["LAZYRABBIT_LLM_MODEL"].flatMap(\.nonEmpty) { configuration.defaultModel = model }
        return configuration
    }

    /// The chat completions endpoint: the path appended before any query string (Azure's
    /// `…/openai/deployments/NAME?api-version=…`).
    var completionsURL: String {
        let (path, query) = baseURL.firstIndex(of: "?").map { (baseURL[..<$0], baseURL[$0...]) } ?? (baseURL[...], "")
        return (path.hasSuffix("/") ? String(path.dropLast()) : String(path)) + "/chat/completions" + query
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
