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

extension TaskFailure {
    /// The longest error class kept, in UTF-8 bytes.
    public static let maxClassBytes = 128
    /// The longest message kept, in UTF-8 bytes: a message is copied into every transition that
    /// reports the error and into the context a catcher stores it at.
    public static let maxMessageBytes = 8192
    /// The largest `details` kept (they travel with a failure up through parallel and map states
    /// and end in the execution's stored error).
    public static let detailLimits = ValueLimits(maxBytes: 256 << 10, maxDepth: 64)

    /// This failure as the engine and workers keep it: class and message cut at a character
    /// boundary to ``maxClassBytes`` and ``maxMessageBytes`` (the message saying so), details
    /// dropped when they break ``detailLimits`` (all but the service's ``retryAfterKey``).
    /// Bounding a bounded failure changes nothing.
    public func bounded() -> TaskFailure {
        var kept = self
        kept.errorClass = errorClass.prefix(utf8Bytes: Self.maxClassBytes)
        if message.utf8.count > Self.maxMessageBytes {
            let note = " … (cut from \(message.utf8.count) bytes)"
            kept.message = message.prefix(utf8Bytes: Self.maxMessageBytes - note.utf8.count) + note
        }
        if let details, details.breach(of: Self.detailLimits) != nil {
            kept.details = retryAfterMilliseconds.map { [Self.retryAfterKey: .integer($0)] }
        }
        return kept
    }
}
