public import Foundation
public import WorkflowJSON

/// When a stored workflow starts by itself: the `schedule` block of a workflow document.
///
/// ```yaml
/// schedule:
///   cron: "*/5 * * * *"
///   timezone: Europe/Berlin
///   overlap: skip
///   catch_up: latest
///   input: { report: daily }
/// ```
public struct WorkflowSchedule: Sendable, Codable, Equatable {
    /// What to do with a tick while an earlier scheduled run is still running.
    public enum Overlap: String, Sendable, Codable, CaseIterable {
        /// Drop the tick.
        case skip
        /// Start it anyway: runs may overlap.
        case allow
        /// Keep one tick and start it when the running one finishes; more ticks meanwhile are dropped.
        case bufferOne = "buffer_one"
    }

    /// What to do with ticks that passed while no scheduler ran (downtime).
    public enum CatchUp: String, Sendable, Codable, CaseIterable {
        /// Drop them.
        case none
        /// Run the most recent one once.
        case latest
        /// Run every one, at most ``WorkflowSchedule/catchUpLimit`` (the newest).
        case all
    }

    /// The most missed ticks `catch_up: all` runs.
    public static let catchUpLimit = 100

    /// The cron expression as written (5 fields, 6 with seconds first, or a macro such as `@daily`).
    public var cron: String
    /// The IANA time zone the expression's wall-clock times are read in. Default `UTC`.
    public var timeZone: String
    public var overlap: Overlap
    public var catchUp: CatchUp
    /// The input of every scheduled run. Default `{}`.
    public var input: JSONValue

    public init(cron: String, timeZone: String = "UTC", overlap: Overlap = .skip, catchUp: CatchUp = .latest, input: JSONValue = .object([:])) {
        self.cron = cron
        self.timeZone = timeZone
        self.overlap = overlap
        self.catchUp = catchUp
        self.input = input
    }

    /// The parsed expression.
    public func expression() throws(CronError) -> CronExpression { try CronExpression(parsing: cron) }

    /// The time zone, or `nil` when ``timeZone`` names none.
    public var zone: TimeZone? { TimeZone(identifier: timeZone) }

    /// The first tick after `date`; `nil` when the schedule is invalid or never fires again.
    public func nextFire(after date: Date) -> Date? {
        guard let zone, let expression = try? expression() else { return nil }
        return expression.nextFire(after: date, in: zone)
    }
}
