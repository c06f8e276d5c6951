import Foundation
import WorkflowDSL
import WorkflowJSON

/// A workflow's `schedule` as the API shows it, with the next time it fires (`null` when it never
/// fires again).
struct ScheduleRepresentation: Encodable {
    var schedule: WorkflowSchedule
    var now: Date

    /// The schedule the definition text `source` declares, if any.
    init?(source: String, now: Date) {
        guard let schedule = WorkflowParser.parse(source).definition?.schedule else { return nil }
        self.schedule = schedule
        self.now = now
    }

    enum CodingKeys: String, CodingKey {
        case cron, timezone, overlap, catchUp = "catch_up", input, nextFireAt = "next_fire_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schedule.cron, forKey: .cron)
        try container.encode(schedule.timeZone, forKey: .timezone)
        try container.encode(schedule.overlap.rawValue, forKey: .overlap)
        try container.encode(schedule.catchUp.rawValue, forKey: .catchUp)
        try container.encode(schedule.input, forKey: .input)
        try container.encode(schedule.nextFire(after: now), forKey: .nextFireAt)
    }
}
