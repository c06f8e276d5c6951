import Foundation

/// The `schedule` block: a cron expression that parses and fires at all, and a known time zone.
struct ScheduleChecker {
    let context: ValidationContext

    func check(_ schedule: WorkflowSchedule?) {
        guard let schedule else { return }
        do {
            _ = try schedule.expression()
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
