/// Why a language model gave no usable answer. ``errorClass`` is what a workflow's retry and
/// catch rules see when an `llm` callback fails.
public struct LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No language model is configured (`LAZYRABBIT_LLM_URL`).
        case unavailable = "llm_unavailable"
        /// No answer within the configured timeout.
        case timeout = "llm_timeout"
        /// The server could not be reached, or the connection broke.
        case connection = "llm_connection"
        /// 429 from the server.
        case rateLimited = "llm_rate_limited"
        /// 5xx from the server.
        case serverError = "llm_server_error"
        /// Another 4xx: a bad key, an unknown model, a request the server refuses.
        case rejected = "llm_rejected"
        /// The callback names a model the operator did not allow (`LAZYRABBIT_LLM_MODELS`).
        case modelNotAllowed = "llm_model_not_allowed"
        /// An answer that is not a chat completion, has no text, or is too large.
        case badResponse = "llm_bad_response"
        /// The model declined to answer (`message.refusal`).
        case refused = "llm_refused"
        /// The call was cancelled (the task's timeout, or the worker stopping).
        case cancelled = "cancelled"
        /// The answer was asked to be JSON of a shape and is not.
        case schemaMismatch = "llm_schema_mismatch"
        /// A setting in the environment cannot be read (``LLMConfiguration/fromEnvironment(_:)``):
        /// the process stops before any call.
        case misconfigured = "llm_misconfigured"
    }

    public var kind: Kind
    public var message: String
    /// How long the server asked to be left alone (`Retry-After` on a 429 or 5xx), in milliseconds.
    public var retryAfterMilliseconds: Int?

    public init(_ kind: Kind, _ message: String, retryAfterMilliseconds: Int? = nil) {
        self.kind = kind
        self.message = message
        self.retryAfterMilliseconds = retryAfterMilliseconds
    }

    /// The error class workflows match (`llm_timeout`, ...).
    public var errorClass: String { kind.rawValue }

    public var description: String { "\(kind.rawValue): \(message)" }
}
