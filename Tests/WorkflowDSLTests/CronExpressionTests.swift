import Foundation
import Testing
@testable import WorkflowDSL

@Suite("Cron expressions")
struct CronExpressionTests {
    private let utc = TimeZone(identifier: "UTC")!

    /// `2025-01-01 00:00:00 UTC` style text to a date.
    static func utcDate(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text.replacingOccurrences(of: " ", with: "T") + "Z")!
    }

    private func next(_ cron: String, after text: String, in zone: TimeZone? = nil) throws -> Date? {
        try CronExpression(parsing: cron).nextFire(after: Self.utcDate(text), in: zone ?? utc)
    }

    private func ticks(_ cron: String, after text: String, count: Int, in zone: TimeZone) throws -> [Date] {
        let expression = try CronExpression(parsing: cron)
        var result: [Date] = []
        var cursor = Self.utcDate(text)
        for _ in 0..<count {
            guard let tick = expression.nextFire(after: cursor, in: zone) else { break }
            result.append(tick)
            cursor = tick
        }
        return result
    }

    @Test func everyFiveMinutes() throws {
        #expect(try next("*/5 * * * *", after: "2025-03-10 10:02:30") == Self.utcDate("2025-03-10 10:05:00"))
        #expect(try next("*/5 * * * *", after: "2025-03-10 10:05:00") == Self.utcDate("2025-03-10 10:10:00"))
        #expect(try next("*/5 * * * *", after: "2025-12-31 23:59:00") == Self.utcDate("2026-01-01 00:00:00"))
    }

    @Test func rangesStepsListsAndNames() throws {
        #expect(try next("10-40/10 * * * *", after: "2025-03-10 10:35:00") == Self.utcDate("2025-03-10 10:40:00"))
        #expect(try next("10-40/10 * * * *", after: "2025-03-10 10:40:00") == Self.utcDate("2025-03-10 11:10:00"))
        #expect(try next("0 9,17 * * *", after: "2025-03-10 09:00:00") == Self.utcDate("2025-03-10 17:00:00"))
        #expect(try next("0 9 * * MON-FRI", after: "2025-03-14 09:00:00") == Self.utcDate("2025-03-17 09:00:00"))  // Fri → Mon
        #expect(try next("0 0 1 jan,Jul *", after: "2025-02-01 00:00:00") == Self.utcDate("2025-07-01 00:00:00"))
        #expect(try next("5/20 * * * *", after: "2025-03-10 10:45:00") == Self.utcDate("2025-03-10 11:05:00"))
        #expect(try next("0 0 * * 7", after: "2025-03-10 00:00:00") == Self.utcDate("2025-03-16 00:00:00"))  // 7 is Sunday
        #expect(try next("0 0 * * sun", after: "2025-03-10 00:00:00") == Self.utcDate("2025-03-16 00:00:00"))
        // `7/N` is Sunday (it once matched no day at all), `5/1` Friday to Saturday.
        #expect(try next("0 0 * * 7/1", after: "2025-03-10 00:00:00") == Self.utcDate("2025-03-16 00:00:00"))
        #expect(try next("0 0 * * 5/1", after: "2025-03-14 00:00:00") == Self.utcDate("2025-03-15 00:00:00"))
    }

    @Test func macros() throws {
        #expect(try next("@hourly", after: "2025-03-10 10:02:00") == Self.utcDate("2025-03-10 11:00:00"))
        #expect(try next("@daily", after: "2025-03-10 10:02:00") == Self.utcDate("2025-03-11 00:00:00"))
        #expect(try next("@weekly", after: "2025-03-10 10:02:00") == Self.utcDate("2025-03-16 00:00:00"))
        #expect(try next("@monthly", after: "2025-03-10 10:02:00") == Self.utcDate("2025-04-01 00:00:00"))
        #expect(try next("@yearly", after: "2025-03-10 10:02:00") == Self.utcDate("2026-01-01 00:00:00"))
    }

    @Test func secondsField() throws {
        let expression = try CronExpression(parsing: "*/10 * * * * *")
        #expect(expression.hasSeconds)
        #expect(try next("*/10 * * * * *", after: "2025-03-10 10:02:31") == Self.utcDate("2025-03-10 10:02:40"))
        #expect(try next("* * * * * *", after: "2025-03-10 10:02:59") == Self.utcDate("2025-03-10 10:03:00"))
        #expect(try next("* * * * *", after: "2025-03-10 10:02:01") == Self.utcDate("2025-03-10 10:03:00"))
    }

    /// Vixie cron: both day fields restricted → either matches; one starting with `*` → both must.
    @Test func dayOfMonthAndDayOfWeekUseVixieSemantics() throws {
        // 13th of the month OR a Friday: 2025-06-06 is a Friday, before the 13th.
        #expect(try next("0 0 13 * 5", after: "2025-06-01 00:00:00") == Self.utcDate("2025-06-06 00:00:00"))
        #expect(try next("0 0 13 * 5", after: "2025-06-06 00:00:00") == Self.utcDate("2025-06-13 00:00:00"))
        // `*` day-of-month: only Fridays.
        #expect(try next("0 0 * * 5", after: "2025-06-06 00:00:00") == Self.utcDate("2025-06-13 00:00:00"))
        // `*/2` starts with `*`, so it ANDs with Friday: odd days that are Fridays (2025-06-13 is day 13).
        #expect(try next("0 0 */2 * 5", after: "2025-06-01 00:00:00") == Self.utcDate("2025-06-13 00:00:00"))
    }

    @Test func leapYears() throws {
        #expect(try next("0 0 29 2 *", after: "2025-01-01 00:00:00") == Self.utcDate("2028-02-29 00:00:00"))
        // 2100 is not a leap year; 2000 was.
        #expect(try next("0 0 29 2 *", after: "2096-03-01 00:00:00") == Self.utcDate("2104-02-29 00:00:00"))
        #expect(try next("0 0 29 2 *", after: "1999-01-01 00:00:00") == Self.utcDate("2000-02-29 00:00:00"))
        #expect(try next("0 0 31 * *", after: "2024-01-31 00:00:00") == Self.utcDate("2024-03-31 00:00:00"))
        #expect(try next("0 0 * 2 *", after: "2024-02-28 00:00:00") == Self.utcDate("2024-02-29 00:00:00"))
        #expect(try next("0 0 * 2 *", after: "2025-02-28 00:00:00") == Self.utcDate("2026-02-01 00:00:00"))
    }

    @Test func civilDatesAgreeWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        // From 1600 (Foundation's Gregorian calendar is Julian before 1582) to 2400.
        for days in stride(from: -135_000, through: 157_000, by: 97) {
            let date = Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
            let components = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let civil = CivilDate.from(days: days)
            #expect(civil.year == components.year && civil.month == components.month && civil.day == components.day)
            #expect(CivilDate.days(year: civil.year, month: civil.month, day: civil.day) == days)
            #expect(CivilDate.weekday(days: days) == components.weekday! - 1)
        }
    }

    @Test(arguments: [
        ("61 * * * *", CronField.minute, 0, "61 is out of range 0-59"),
        ("* 24 * * *", .hour, 2, "24 is out of range 0-23"),
        ("* * 0 * *", .dayOfMonth, 4, "0 is out of range 1-31"),
        ("* * * FOO *", .month, 6, "`FOO` is not a number in 1-12"),
        ("* * * * MON-XYZ", .dayOfWeek, 12, "`XYZ` is not a number in 0-7"),
        ("*/0 * * * *", .minute, 2, "the step `0` must be a positive number"),
        ("5-1 * * * *", .minute, 0, "the range 5-1 runs backwards"),
        ("1,,2 * * * *", .minute, 2, "empty list element"),
        ("0 0 30 2 *", .dayOfMonth, 4, "never fires"),
        ("* * * * * 60", .dayOfWeek, 10, "60 is out of range 0-7"),
        ("60 * * * * *", .second, 0, "60 is out of range 0-59"),
    ])
    func errorsNameTheFieldAndPosition(cron: String, field: CronField, offset: Int, reason: String) {
        #expect(throws: CronError.self) { try CronExpression(parsing: cron) }
        do {
            _ = try CronExpression(parsing: cron)
        } catch {
            #expect(error.field == field)
            #expect(error.offset == offset)
            #expect(error.reason.contains(reason), "\(error.reason)")
            #expect(error.description.hasPrefix("\(field.name) field at character \(offset + 1)"))
        }
    }

    @Test func wrongFieldCountAndUnknownMacro() {
        #expect(throws: CronError.self) { try CronExpression(parsing: "* * * *") }
        #expect(throws: CronError.self) { try CronExpression(parsing: "* * * * * * *") }
        #expect(throws: CronError.self) { try CronExpression(parsing: "@fortnightly") }
        #expect(throws: CronError.self) { try CronExpression(parsing: "") }
    }

    @Test func firesListsTheNewestTicksOfAGap() throws {
        let expression = try CronExpression(parsing: "0 * * * *")
        let result = expression.fires(after: Self.utcDate("2025-03-10 00:30:00"), through: Self.utcDate("2025-03-15 00:30:00"), in: utc, keepingLast: 3)
        #expect(result.total == 120)
        #expect(result.ticks == [Self.utcDate("2025-03-14 22:00:00"), Self.utcDate("2025-03-14 23:00:00"), Self.utcDate("2025-03-15 00:00:00")])
    }

    // MARK: Daylight saving time

    private let berlin = TimeZone(identifier: "Europe/Berlin")!
    private let newYork = TimeZone(identifier: "America/New_York")!

    /// Berlin springs forward on 2025-03-30 at 02:00 CET (01:00 UTC) to 03:00 CEST.
    @Test func berlinSpringForwardDailyTickInTheGapFiresOnceAfterTheJump() throws {
        let ticks = try ticks("30 2 * * *", after: "2025-03-28 12:00:00", count: 3, in: berlin)
        #expect(ticks == [
            Self.utcDate("2025-03-29 01:30:00"),  // 02:30 CET
            Self.utcDate("2025-03-30 01:30:00"),  // 02:30 does not exist: 03:30 CEST
            Self.utcDate("2025-03-31 00:30:00"),  // 02:30 CEST
        ])
        // Foundation's Calendar resolves the missing wall time the same way.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        #expect(calendar.date(from: DateComponents(year: 2025, month: 3, day: 30, hour: 2, minute: 30)) == ticks[1])
    }

    @Test func berlinSpringForwardIntervalScheduleHasNoDuplicates() throws {
        let ticks = try ticks("*/30 * * * *", after: "2025-03-30 00:00:00", count: 4, in: berlin)
        // 01:00 CET, 01:30 CET, then 03:00 CEST (the gap's 02:00 and 02:30 land on 03:00 and 03:30), 03:30 CEST.
        #expect(ticks == [
            Self.utcDate("2025-03-30 00:30:00"), Self.utcDate("2025-03-30 01:00:00"), Self.utcDate("2025-03-30 01:30:00"),
            Self.utcDate("2025-03-30 02:00:00"),
        ])
        #expect(Set(ticks).count == ticks.count)
    }

    /// Berlin falls back on 2025-10-26 at 03:00 CEST (01:00 UTC) to 02:00 CET.
    @Test func berlinFallBackFixedTimeFiresOnce() throws {
        let ticks = try ticks("30 2 * * *", after: "2025-10-25 12:00:00", count: 2, in: berlin)
        #expect(ticks == [Self.utcDate("2025-10-26 00:30:00"), Self.utcDate("2025-10-27 01:30:00")])
    }

    @Test func berlinFallBackIntervalScheduleKeepsItsRhythm() throws {
        let ticks = try ticks("*/30 * * * *", after: "2025-10-26 00:00:00", count: 4, in: berlin)
        // 02:30 CEST, 02:00 CET, 02:30 CET, 03:00 CET: every 30 minutes of real time.
        #expect(ticks == [
            Self.utcDate("2025-10-26 00:30:00"), Self.utcDate("2025-10-26 01:00:00"), Self.utcDate("2025-10-26 01:30:00"),
            Self.utcDate("2025-10-26 02:00:00"),
        ])
    }

    @Test func fallBackAskedFromInsideTheRepeatedHour() throws {
        // 01:10 UTC is 02:10 CET, the second 02:10 of the day; the fixed 02:30 already fired at 00:30 UTC.
        #expect(try next("30 2 * * *", after: "2025-10-26 01:10:00", in: berlin) == Self.utcDate("2025-10-27 01:30:00"))
        #expect(try next("*/30 * * * *", after: "2025-10-26 01:10:00", in: berlin) == Self.utcDate("2025-10-26 01:30:00"))
    }

    @Test func springForwardAskedJustAfterTheJump() throws {
        // 01:10 UTC is 03:10 CEST; the missing 02:30 fires at 03:30 CEST (01:30 UTC).
        #expect(try next("30 2 * * *", after: "2025-03-30 01:10:00", in: berlin) == Self.utcDate("2025-03-30 01:30:00"))
    }

    /// New York springs forward on 2025-03-09 at 02:00 EST (07:00 UTC) and falls back on
    /// 2025-11-02 at 02:00 EDT (06:00 UTC).
    @Test func newYorkTransitions() throws {
        #expect(try ticks("15 2 * * *", after: "2025-03-08 12:00:00", count: 2, in: newYork) == [
            Self.utcDate("2025-03-09 07:15:00"),  // 02:15 does not exist: 03:15 EDT
            Self.utcDate("2025-03-10 06:15:00"),  // 02:15 EDT
        ])
        #expect(try ticks("30 1 * * *", after: "2025-11-01 12:00:00", count: 2, in: newYork) == [
            Self.utcDate("2025-11-02 05:30:00"),  // 01:30 EDT; the second 01:30 (EST) does not fire
            Self.utcDate("2025-11-03 06:30:00"),  // 01:30 EST
        ])
        #expect(try ticks("0 * * * *", after: "2025-11-02 04:30:00", count: 3, in: newYork) == [
            Self.utcDate("2025-11-02 05:00:00"),  // 01:00 EDT
            Self.utcDate("2025-11-02 06:00:00"),  // 01:00 EST: hourly keeps going
            Self.utcDate("2025-11-02 07:00:00"),  // 02:00 EST
        ])
        #expect(try next("0 9 * * *", after: "2025-07-01 00:00:00", in: newYork) == Self.utcDate("2025-07-01 13:00:00"))
    }

    @Test func everyTickAcrossAYearIsStrictlyIncreasingAndMatchesWallClock() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        let expression = try CronExpression(parsing: "0 */3 * * *")
        var cursor = Self.utcDate("2025-01-01 00:00:00")
        var count = 0
        while cursor < Self.utcDate("2026-01-01 00:00:00") {
            let tick = try #require(expression.nextFire(after: cursor, in: berlin))
            #expect(tick > cursor)
            let components = calendar.dateComponents([.hour, .minute], from: tick)
            #expect(components.minute == 0)
            #expect(components.hour! % 3 == 0 || tick == Self.utcDate("2025-03-30 01:00:00"))
            cursor = tick
            count += 1
        }
        // 8 a day for 365 days, give or take the transition days.
        #expect((2918...2922).contains(count))
    }

    @Test(arguments: [
        ("* * * * * *", 1), ("*/10 * * * * *", 10), ("0,45 * * * * *", 15), ("*/5 * * * *", 300),
        ("0,59 0,59 * * * *", 1), ("0,59 59 23 31 12 *", 59), ("0 9 * * MON-FRI", 86_400), ("@yearly", 365 * 86_400),
        ("0 0 29 2 *", 1_461 * 86_400), ("30 2 1,31 * *", 86_400),
        // Either field matches (both restricted): a 1 January that is a Sunday, then Monday the 2nd.
        ("0 0 1 1 MON", 86_400), ("0 0 29 2 SUN", 86_400),
    ] as [(String, Int64)])
    func theShortestIntervalIsExact(cron: String, seconds: Int64) throws {
        #expect(try CronExpression(parsing: cron).shortestInterval == seconds)
    }

    /// The computed interval against the gaps between the first 3 000 fires from 2025 on, in UTC.
    @Test(arguments: ["*/7 * * * * *", "0,59 0,59 * * * *", "5-10/5 */20 1-2 * * *", "0 0 * * 0,1", "15 10 28-31 * *"])
    func theShortestIntervalMatchesTheFires(cron: String) throws {
        let expression = try CronExpression(parsing: cron)
        let fires = try ticks(cron, after: "2025-01-01 00:00:00", count: 3_000, in: utc)
        let gaps = zip(fires, fires.dropFirst()).map { Int64($1.timeIntervalSince($0)) }
        #expect(expression.shortestInterval == gaps.min())
    }
}
