/// A parsed cron expression: five fields (`minute hour day-of-month month day-of-week`), or six
/// with seconds first, or a macro (`@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`).
///
/// Fields take `*`, numbers, ranges (`1-5`), steps (`*/15`, `10-40/10`, `5/20`), lists (`0,30`)
/// and names (`JAN`-`DEC`, `SUN`-`SAT`, any case). Day-of-month and day-of-week combine as in
/// Vixie cron: when both are restricted (neither starts with `*`) a day matches if *either* does.
///
/// ```swift
/// let cron = try CronExpression(parsing: "*/5 9-17 * * MON-FRI")
/// let next = cron.nextFire(after: .now, in: TimeZone(identifier: "Europe/Berlin")!)
/// ```
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    /// The text as written.
    public let source: String
    /// `true` when the expression has a seconds field.
    public let hasSeconds: Bool
    let seconds: UInt64
    let minutes: UInt64
    let hours: UInt64
    let daysOfMonth: UInt64
    let months: UInt64
    let daysOfWeek: UInt64
    /// Vixie's rule: a field starting with `*` does not restrict the day.
    let dayOfMonthIsStar: Bool
    let dayOfWeekIsStar: Bool
    /// An hour field starting with `*` marks an interval schedule: it also fires in the repeated
    /// hour when clocks go back (see ``nextFire(after:in:)``).
    let hourIsStar: Bool

    /// The macros and what they stand for.
    public static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Parses `text`.
    ///
    /// - Throws: ``CronError`` naming the field and the character where the problem is.
    public init(parsing text: String) throws(CronError) {
        source = text
        var expanded = Substring(text)
        var leading = 0
        while expanded.first?.isWhitespace == true {
            expanded = expanded.dropFirst()
            leading += 1
        }
        if expanded.hasPrefix("@") {
            let macro = String(expanded).trimmingSpaces()
            guard let fields = Self.macros[macro.lowercased()] else {
                throw CronError(field: nil, offset: leading, reason: "unknown macro `\(macro)`; use one of \(Self.macros.keys.sorted().joined(separator: ", "))")
            }
            expanded = Substring(fields)
            leading = -1  // positions inside a macro's expansion are not in the text
        }
        var parts: [(text: Substring, offset: Int)] = []
        var index = expanded.startIndex
        var position = max(leading, 0)
        while index < expanded.endIndex {
            if expanded[index].isWhitespace {
                index = expanded.index(after: index)
                position += 1
                continue
            }
            let start = index, startPosition = position
            while index < expanded.endIndex, !expanded[index].isWhitespace {
                index = expanded.index(after: index)
                position += 1
            }
            parts.append((expanded[start..<index], leading < 0 ? 0 : startPosition))
        }
        guard parts.count == 5 || parts.count == 6 else {
            throw CronError(
                field: nil, offset: max(leading, 0),
                reason: "a cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got \(parts.count)")
        }
        hasSeconds = parts.count == 6
        let fields: [CronField] = hasSeconds ? CronField.allCases : Array(CronField.allCases.dropFirst())
        var bits: [CronField: UInt64] = [.second: 1]
        for (field, part) in zip(fields, parts) {
            bits[field] = try field.parse(part.text, offset: part.offset)
        }
        seconds = bits[.second]!
        minutes = bits[.minute]!
        hours = bits[.hour]!
        daysOfMonth = bits[.dayOfMonth]!
        months = bits[.month]!
        daysOfWeek = bits[.dayOfWeek]!
        let offsetOfFirst = hasSeconds ? 1 : 0
        hourIsStar = parts[offsetOfFirst + 1].text.hasPrefix("*")
        dayOfMonthIsStar = parts[offsetOfFirst + 2].text.hasPrefix("*")
        dayOfWeekIsStar = parts[offsetOfFirst + 4].text.hasPrefix("*")
        if dayOfWeekIsStar, !Self.canEverMatch(daysOfMonth: daysOfMonth, months: months) {
            throw CronError(field: .dayOfMonth, offset: parts[offsetOfFirst + 2].offset, reason: "no month of the expression has these days, so it never fires")
        }
    }

    public static func == (lhs: CronExpression, rhs: CronExpression) -> Bool { lhs.source == rhs.source }

    public var description: String { source }

    /// `false` when every day of the month is past the end of every month chosen (`30 2`, `31 4,6`).
    private static func canEverMatch(daysOfMonth: UInt64, months: UInt64) -> Bool {
        let longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...12).contains { month in
            months & (1 << UInt64(month)) != 0 && (1...longest[month - 1]).contains { daysOfMonth & (1 << UInt64($0)) != 0 }
        }
    }

    /// Whether a calendar day matches, with Vixie's day-of-month / day-of-week rule.
    func matchesDay(day: Int, weekday: Int) -> Bool {
        let byMonth = daysOfMonth & (1 << UInt64(day)) != 0
        let byWeek = daysOfWeek & (1 << UInt64(weekday)) != 0
        if dayOfMonthIsStar || dayOfWeekIsStar { return byMonth && byWeek }
        return byMonth || byWeek
    }
}
