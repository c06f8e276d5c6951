extension CronExpression {
    /// The shortest time, in seconds of wall-clock time, between two consecutive fires: what a
    /// minimum schedule interval is checked against (`* * * * * *` → 1, `*/5 * * * *` → 300,
    /// `0,59 59 23 31 12 *` → 59); `nil` when it fires at one time of day on at most one day in
    /// 28 years (`0 0 29 2 SUN` read as "both must match" is such a day every 28 years).
    ///
    /// Exact for wall-clock time: consecutive fires are consecutive seconds of a minute, or the
    /// last second of one firing minute and the first of the next, and so on up to firing days,
    /// found over 2001–2028: one whole cycle of the Gregorian calendar within 1901–2099, in which
    /// every date falls on every weekday (29 February included). Daylight saving changes can bring
    /// two real instants closer than their wall-clock times (an hour skipped between 01:59:59 and
    /// 03:00:00); the minimum interval is checked on wall-clock time only.
    public var shortestInterval: Int64? {
        let (seconds, minutes, hours) = (Self.values(self.seconds, 0...59), Self.values(self.minutes, 0...59), Self.values(self.hours, 0...23))
        guard let firstSecond = seconds.first, let lastSecond = seconds.last, let firstMinute = minutes.first, let lastMinute = minutes.last,
              let firstHour = hours.first, let lastHour = hours.last
        else { return nil }
        let firstOfMinute = Int64(firstSecond), lastOfMinute = Int64(lastSecond)
        let firstOfHour = Int64(firstMinute) * 60 + firstOfMinute, lastOfHour = Int64(lastMinute) * 60 + lastOfMinute
        let firstOfDay = Int64(firstHour) * 3600 + firstOfHour, lastOfDay = Int64(lastHour) * 3600 + lastOfHour
        let candidates: [Int64?] = [
            Self.smallestStep(seconds),
            Self.smallestStep(minutes).map { $0 * 60 - (lastOfMinute - firstOfMinute) },
            Self.smallestStep(hours).map { $0 * 3600 - (lastOfHour - firstOfHour) },
            smallestDayStep().map { $0 * 86_400 - (lastOfDay - firstOfDay) },
        ]
        return candidates.compactMap { $0 }.min()
    }

    /// The values set in `bits` within `range`, ascending.
    private static func values(_ bits: UInt64, _ range: ClosedRange<Int>) -> [Int] {
        range.filter { bits & (1 << UInt64($0)) != 0 }
    }

    /// The smallest difference between neighbours of an ascending list; `nil` for fewer than two.
    private static func smallestStep(_ values: [Int]) -> Int64? {
        zip(values, values.dropFirst()).map { Int64($1 - $0) }.min()
    }

    /// The fewest days between two firing days, over the 28 years 2001–2028; `nil` when fewer than
    /// two of those days fire.
    private func smallestDayStep() -> Int64? {
        let first = CivilDate.days(year: 2001, month: 1, day: 1), last = CivilDate.days(year: 2028, month: 12, day: 31)
        var previous: Int?
        var smallest: Int64?
        for days in first...last {
            let (_, month, day) = CivilDate.from(days: days)
            guard months & (1 << UInt64(month)) != 0, matchesDay(day: day, weekday: CivilDate.weekday(days: days)) else { continue }
            if let previous {
                let step = Int64(days - previous)
                if step < smallest ?? .max { smallest = step }
                if step == 1 { return 1 }
            }
            previous = days
        }
        return smallest
    }
}
