/// One field of a cron expression, with its range and the names it accepts.
public enum CronField: Int, Sendable, CaseIterable, Codable {
    /// Only in 6-field expressions, written first: `*/10 * * * * *` fires every ten seconds.
    case second
    case minute
    case hour
    case dayOfMonth
    case month
    case dayOfWeek

    /// How messages name the field (`day-of-month`).
    public var name: String {
        switch self {
        case .second: "second"
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// The values the field may take. Day-of-week takes 0-7, where both 0 and 7 are Sunday.
    public var range: ClosedRange<Int> {
        switch self {
        case .second, .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// Three-letter names (case-insensitive) and their values: `JAN`-`DEC`, `SUN`-`SAT`.
    var names: [String: Int] {
        switch self {
        case .month:
            Dictionary(uniqueKeysWithValues: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
                .enumerated().map { ($1, $0 + 1) })
        case .dayOfWeek:
            Dictionary(uniqueKeysWithValues: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"].enumerated().map { ($1, $0) })
        default: [:]
        }
    }

    /// Parses one field's text (`*/15`, `1-5`, `MON-FRI`, `0,30`, `10-40/10`) into a bit set of
    /// values; `offset` is where the text starts in the whole expression, for errors.
    func parse(_ text: Substring, offset: Int) throws(CronError) -> UInt64 {
        var bits: UInt64 = 0
        var itemOffset = offset
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            bits |= try parseItem(item, offset: itemOffset)
            itemOffset += item.count + 1
        }
        if self == .dayOfWeek, bits & (1 << 7) != 0 {
            bits = (bits & ~(1 << 7)) | 1  // 7 is Sunday too
        }
        return bits
    }

    /// `*`, `*/step`, `value`, `low-high`, `low-high/step` or `low/step` (from `low` to the end of the range).
    private func parseItem(_ item: Substring, offset: Int) throws(CronError) -> UInt64 {
        guard !item.isEmpty else { throw CronError(field: self, offset: offset, reason: "empty list element") }
        var rangePart = item
        var step = 1
        if let slash = item.firstIndex(of: "/") {
            rangePart = item[..<slash]
            let stepText = item[item.index(after: slash)...]
            let stepOffset = offset + rangePart.count + 1
            guard let value = Int(stepText), value > 0 else {
                throw CronError(field: self, offset: stepOffset, reason: "the step `\(stepText)` must be a positive number")
            }
            guard value <= range.upperBound else {
                throw CronError(field: self, offset: stepOffset, reason: "the step \(value) is larger than the field's range \(rangeText)")
            }
            step = value
        }
        let low: Int, high: Int
        if rangePart == "*" {
            low = range.lowerBound
            high = self == .dayOfWeek ? 6 : range.upperBound
        } else if let dash = rangePart.firstIndex(of: "-") {
            let lowText = rangePart[..<dash], highText = rangePart[rangePart.index(after: dash)...]
            low = try value(lowText, offset: offset)
            high = try value(highText, offset: offset + lowText.count + 1)
            guard low <= high else {
                throw CronError(field: self, offset: offset, reason: "the range \(rangePart) runs backwards; write it as a list instead (`\(highText)-..,..-\(lowText)`)")
            }
        } else {
            low = try value(rangePart, offset: offset)
            // `low/step` runs to the end of the week (Saturday), or is Sunday alone from 7.
            high = step > 1 || item.contains("/") ? (self == .dayOfWeek ? max(6, low) : range.upperBound) : low
        }
        var bits: UInt64 = 0
        for value in stride(from: low, through: high, by: step) { bits |= 1 << UInt64(value) }
        return bits
    }

    private func value(_ text: Substring, offset: Int) throws(CronError) -> Int {
        if let number = Int(text) {
            guard range.contains(number) else {
                throw CronError(field: self, offset: offset, reason: "\(number) is out of range \(rangeText)")
            }
            return number
        }
        if let named = names[text.uppercased()] { return named }
        let hint = names.isEmpty ? "" : " (names: \(names.sorted { $0.value < $1.value }.map(\.key).joined(separator: ", ")))"
        throw CronError(field: self, offset: offset, reason: "`\(text)` is not a number in \(rangeText)\(hint)")
    }

    private var rangeText: String { "\(range.lowerBound)-\(range.upperBound)" }
}
