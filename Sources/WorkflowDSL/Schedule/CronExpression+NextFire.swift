public import Foundation

extension CronExpression {
    /// The first time strictly after `date` (in whole seconds) at which the expression fires,
    /// reading its fields as wall-clock time in `timeZone`; `nil` when it never fires again.
    ///
    /// Daylight saving time:
    /// - **Gaps** (clocks go forward): a wall time that does not exist fires as far after the jump
    ///   as it names after the skipped start, as Foundation's `Calendar` resolves such times —
    ///   `30 2 * * *` in Europe/Berlin fires at 03:30 CEST on the last Sunday of March. A tick that
    ///   lands on an existing one is the same tick: it fires once.
    /// - **Overlaps** (clocks go back): a wall time that happens twice fires at its first occurrence
    ///   only, unless the hour field starts with `*` (`*/5 * * * *`, `0 * * * *`): interval schedules
    ///   keep their rhythm through the repeated hour.
    public func nextFire(after date: Date, in timeZone: TimeZone) -> Date? {
        let earliest = Int64(date.timeIntervalSince1970.rounded(.down)) + 1
        // Start a day early so that a transition just before `date` (whose shifted gap ticks may
        // still be ahead) is seen; candidates before `earliest` are never taken.
        var from = earliest - 86_400
        var gapTick: Int64?
        var skipWallsBefore = Int64.min
        for _ in 0..<Self.maxSegments {
            let offset = Int64(timeZone.secondsFromGMT(for: Self.date(from)))
            let transition = timeZone.nextDaylightSavingTimeTransition(after: Self.date(from)).map { Int64($0.timeIntervalSince1970.rounded()) }
            let lower = max(from, earliest)
            var candidate: Int64?
            if transition.map({ lower < $0 }) ?? true,
               let wall = nextMatch(onOrAfterWall: max(lower + offset, skipWallsBefore)) {
                let instant = wall - offset
                if transition.map({ instant < $0 }) ?? true { candidate = instant }
            }
            if let gapTick { candidate = min(candidate ?? gapTick, gapTick) }
            if let candidate { return Self.date(candidate) }
            guard let transition else { return nil }
            let newOffset = Int64(timeZone.secondsFromGMT(for: Self.date(transition)))
            gapTick = nil
            skipWallsBefore = .min
            if newOffset > offset {
                // Wall times [transition + offset, transition + newOffset) do not exist.
                if let wall = nextMatch(onOrAfterWall: max(transition, earliest) + offset), wall < transition + newOffset {
                    gapTick = wall - offset
                }
            } else if newOffset < offset, !hourIsStar {
                // Wall times [transition + newOffset, transition + offset) come round again.
                skipWallsBefore = transition + offset
            }
            from = transition
        }
        return nil
    }

    /// The ticks in `(after, through]`, oldest first, at most `limit` of them (the newest ones when
    /// there are more), and how many there were in all.
    public func fires(after start: Date, through end: Date, in timeZone: TimeZone, keepingLast limit: Int) -> (ticks: [Date], total: Int) {
        var ticks: [Date] = []
        var total = 0
        var cursor = start
        while let next = nextFire(after: cursor, in: timeZone), next <= end {
            total += 1
            ticks.append(next)
            if ticks.count > limit { ticks.removeFirst(ticks.count - limit) }
            cursor = next
        }
        return (ticks, total)
    }

    /// About 20 years of daylight saving transitions.
    private static let maxSegments = 40

    private static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    /// The first wall-clock second at or after `wall` (seconds since 1970 as if the wall clock were
    /// UTC) that matches every field; `nil` when none does within nine years (enough for 29 February).
    func nextMatch(onOrAfterWall wall: Int64) -> Int64? {
        let days = Int(wall.floorDivided(by: 86_400))
        var secondOfDay = Int(wall - Int64(days) * 86_400)
        var (year, month, day) = CivilDate.from(days: days)
        var hour = secondOfDay / 3600, minute = secondOfDay / 60 % 60, second = secondOfDay % 60
        let lastYear = year + 9
        while year <= lastYear {
            guard let nextMonth = Self.next(in: months, from: month, through: 12) else {
                (year, month, day, hour, minute, second) = (year + 1, 1, 1, 0, 0, 0)
                continue
            }
            if nextMonth != month { (month, day, hour, minute, second) = (nextMonth, 1, 0, 0, 0) }
            if day > CivilDate.daysIn(year: year, month: month) {
                (month, day, hour, minute, second) = (month + 1, 1, 0, 0, 0)
                if month > 12 { (year, month) = (year + 1, 1) }
                continue
            }
            if !matchesDay(day: day, weekday: CivilDate.weekday(days: CivilDate.days(year: year, month: month, day: day))) {
                (day, hour, minute, second) = (day + 1, 0, 0, 0)
                continue
            }
            guard let nextHour = Self.next(in: hours, from: hour, through: 23) else {
                (day, hour, minute, second) = (day + 1, 0, 0, 0)
                continue
            }
            if nextHour != hour { (hour, minute, second) = (nextHour, 0, 0) }
            guard let nextMinute = Self.next(in: minutes, from: minute, through: 59) else {
                (hour, minute, second) = (hour + 1, 0, 0)
                continue
            }
            if nextMinute != minute { (minute, second) = (nextMinute, 0) }
            guard let nextSecond = Self.next(in: seconds, from: second, through: 59) else {
                (minute, second) = (minute + 1, 0)
                continue
            }
            secondOfDay = hour * 3600 + minute * 60 + nextSecond
            return Int64(CivilDate.days(year: year, month: month, day: day)) * 86_400 + Int64(secondOfDay)
        }
        return nil
    }

    /// The smallest value in `bits` that is at least `value` and at most `limit`.
    private static func next(in bits: UInt64, from value: Int, through limit: Int) -> Int? {
        guard value <= limit else { return nil }
        let shifted = bits >> UInt64(value)
        guard shifted != 0 else { return nil }
        let found = value + shifted.trailingZeroBitCount
        return found <= limit ? found : nil
    }
}

/// Proleptic Gregorian dates as days since 1970-01-01 (Howard Hinnant's civil-date algorithms):
/// exact for leap years, and free of time zones, which ``CronExpression/nextFire(after:in:)``
/// applies separately.
enum CivilDate {
    static func days(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func from(days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 0 is Sunday, as in cron; 1970-01-01 was a Thursday.
    static func weekday(days: Int) -> Int { ((days + 4) % 7 + 7) % 7 }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return self % divisor < 0 ? quotient - 1 : quotient
    }
}
