/// A length of time as the DSL writes it: `500ms`, `30s`, `5m`, `2h`, `1d`, or combined (`1h30m`).
public struct WorkflowDuration: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func seconds(_ seconds: Int64) -> WorkflowDuration { .init(milliseconds: seconds * 1000) }

    /// The longest duration a workflow may write, 100 years (`36500d`), and the furthest a timer
    /// may be set: every timer then stays within what the stores can hold (PostgreSQL's
    /// timestamps end in 294276 AD; a timer's outbox message id counts its milliseconds in 64 bits).
    public static let longest = WorkflowDuration(milliseconds: 36_500 * 86_400_000)

    public static func < (lhs: WorkflowDuration, rhs: WorkflowDuration) -> Bool { lhs.milliseconds < rhs.milliseconds }

    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000),
    ]

    /// Parses the DSL spelling; `nil` when it is not one. A bare number means seconds.
    public init?(parsing text: String) {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { return nil }
        if let seconds = Int64(trimmed) {
            guard seconds >= 0, seconds < Int64.max / 1000 else { return nil }
            self.init(milliseconds: seconds * 1000)
            return
        }
        var total: Int64 = 0
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let amount = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = Self.units.first(where: { rest.hasPrefix($0.suffix) }) else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            let (product, overflow) = amount.multipliedReportingOverflow(by: unit.milliseconds)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !sumOverflow else { return nil }
            total = sum
        }
        self.init(milliseconds: total)
    }

    /// The shortest DSL spelling (`1h30m`, `250ms`).
    public var description: String {
        if milliseconds == 0 { return "0s" }
        var remaining = milliseconds
        var text = ""
        for unit in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] where remaining >= unit.1 {
            text += "\(remaining / unit.1)\(unit.0)"
            remaining %= unit.1
        }
        return text
    }
}

extension String {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
