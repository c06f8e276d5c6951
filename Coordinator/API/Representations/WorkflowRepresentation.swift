import Foundation
import WorkflowDrivers

/// A stored workflow as the API shows it; `latest` and `schedule` (the latest version's, with its
/// next fire time; `null` when it declares none) are included where one workflow is answered
/// (create, get).
struct WorkflowRepresentation: Encodable {
    var record: WorkflowRecord
    var latest: WorkflowVersionRepresentation?
    var schedule: ScheduleRepresentation?

    init(record: WorkflowRecord, latest: WorkflowVersionRepresentation? = nil, now: Date = Date()) {
        self.record = record
        self.latest = latest
        self.schedule = latest.flatMap { ScheduleRepresentation(source: $0.record.source, now: now) }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, owner, latestVersion = "latest_version", latest, schedule, createdAt = "created_at", updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.id, forKey: .id)
        try container.encode(record.name, forKey: .name)
        try container.encode(record.owner, forKey: .owner)
        try container.encode(record.latestVersion, forKey: .latestVersion)
        if let latest {
            try container.encode(latest, forKey: .latest)
            try container.encode(schedule, forKey: .schedule)
        }
        try container.encode(record.createdAt, forKey: .createdAt)
        try container.encode(record.updatedAt, forKey: .updatedAt)
    }
}

/// One version of a workflow with its source text.
struct WorkflowVersionRepresentation: Encodable {
    var record: WorkflowVersionRecord

    enum CodingKeys: String, CodingKey {
        case workflowID = "workflow_id", version, source, createdBy = "created_by", createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.workflowID, forKey: .workflowID)
        try container.encode(record.version, forKey: .version)
        try container.encode(record.source, forKey: .source)
        try container.encode(record.createdBy, forKey: .createdBy)
        try container.encode(record.createdAt, forKey: .createdAt)
    }
}
