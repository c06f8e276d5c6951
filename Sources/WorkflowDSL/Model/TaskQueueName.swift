/// The names a task queue may have (a `handler` callback's `queue`): 1 to ``maxBytes`` ASCII
/// letters, digits, `_`, `-` and `.`, starting with a letter or a digit. They become RabbitMQ
/// routing keys and queue names (at most 255 bytes, with a prefix), and the characters left out
/// are free for the transport's own suffixes. Workflows stored before this rule keep running with
/// theirs (validation checks it where a workflow is stored), and workers consume any name a queue
/// could have had (``problem(consuming:)``).
public enum TaskQueueName {
    /// The longest name, in bytes.
    public static let maxBytes = 100

    /// Whether `name` may name a task queue.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= maxBytes, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    /// Why a worker cannot consume the task queue `name`, or `nil`: any name but an empty one, one
    /// over 200 bytes (RabbitMQ's 255 with a prefix) or one with `~` (the lanes' suffix).
    public static func problem(consuming name: String) -> String? {
        if name.isEmpty { return "a task queue name cannot be empty" }
        if name.utf8.count > 200 { return "a task queue name has at most 200 bytes" }
        if name.contains("~") { return "a task queue name cannot hold `~` (the suffix of its lanes)" }
        return nil
    }

    /// What a valid name looks like, for messages.
    public static let rule = "1 to \(maxBytes) letters, digits, `_`, `-` or `.`, starting with a letter or a digit"

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
