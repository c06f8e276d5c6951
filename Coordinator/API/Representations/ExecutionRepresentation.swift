import WorkflowProtocol
import Foundation
import WorkflowDrivers
import WorkflowJSON

/// An execution as the API shows it: every key is always present (`null` when unset), except
/// `retry_of`, which only a retry's answer carries.
struct ExecutionRepresentation: Encodable {
    var record: ExecutionRecord
    var retryOf: String?

    enum CodingKeys: String, CodingKey {
        case id, status, sequence, input, output, error, owner
        case workflowID = "workflow_id", workflowVersion = "workflow_version", workflowName = "workflow_name"
        case parentID = "parent_id", idempotencyKey = "idempotency_key", retryOf = "retry_of"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.id, forKey: .id)
        try container.encode(record.status.rawValue, forKey: .status)
        try container.encode(record.sequence, forKey: .sequence)
        try container.encode(record.input, forKey: .input)
        try container.encode(record.output ?? .null, forKey: .output)
        try container.encode(record.error ?? .null, forKey: .error)
        try container.encode(record.owner, forKey: .owner)
        try container.encode(record.workflowID, forKey: .workflowID)
        try container.encode(record.workflowVersion, forKey: .workflowVersion)
        try container.encode(record.workflowName, forKey: .workflowName)
        try container.encode(record.parentID, forKey: .parentID)
        try container.encode(record.idempotencyKey, forKey: .idempotencyKey)
        try container.encodeIfPresent(retryOf, forKey: .retryOf)
        try container.encode(record.createdAt, forKey: .createdAt)
        try container.encode(record.updatedAt, forKey: .updatedAt)
    }
}
