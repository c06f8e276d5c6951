public import WorkflowJSON

extension ValueLimits {
    /// What an execution may store by default: values up to 16 MiB, nested at most 128 levels
    /// (a stored snapshot or a report wraps a value in a few more levels, and JSON is read back
    /// only up to ``JSONParser/maximumDepth``).
    public static let storable = ValueLimits(maxBytes: 16 << 20, maxDepth: 128)
}

extension TaskFailure {
    /// The error for `what` breaking `limits`: `value_too_large` or `value_too_deep` (never retried).
    public static func breaking(_ limits: ValueLimits, _ breach: ValueLimitBreach, what: String) -> TaskFailure {
        switch breach {
        case .tooLarge:
            TaskFailure(errorClass: "value_too_large", message: "\(what) is larger than \(describe(bytes: limits.maxBytes)), the most a value may hold")
        case .tooDeep:
            TaskFailure(errorClass: "value_too_deep", message: "\(what) nests lists and maps more than \(limits.maxDepth) levels deep")
        }
    }

    /// `16 MiB` for whole mebibytes, `1234 bytes` otherwise.
    public static func describe(bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}
