import Foundation

/// The `schedule` block: a cron expression that parses, fires at all and not more often than
/// `minScheduleIntervalSeconds` allows, and a known time zone.
struct ScheduleChecker {
    let context: ValidationContext

    func check(_ schedule: WorkflowSchedule?) {
        guard let schedule else { return }
        do {
            let expression = try schedule.expression()
            let minimum = context.options.limits.minScheduleIntervalSeconds
            if let shortest = expression.shortestInterval, shortest < minimum {
                context.report(
                    "schedule_too_frequent",
                    "`\(schedule.cron)` fires \(shortest) s apart at its closest; the limit is \(minimum) s (minScheduleIntervalSeconds)",
                    path: "schedule.cron", hint: "fire less often; operators set the limit with --min-schedule-interval")
            }
        } catch {
            context.report("invalid_cron", "invalid cron expression `\(schedule.cron)`: \(error)", path: "schedule.cron", offset: error.offset)
        }
        if schedule.zone == nil {
            context.report(
                "unknown_timezone", "unknown time zone `\(schedule.timeZone)`", path: "schedule.timezone",
                hint: Suggestion.hint(for: schedule.timeZone, in: TimeZone.knownTimeZoneIdentifiers)
                    ?? "use an IANA name such as `UTC`, `Europe/Berlin` or `America/New_York`")
        }
    }
}
