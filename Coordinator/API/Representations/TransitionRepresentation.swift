import Foundation
import WorkflowProtocol

/// One persisted transition, as listed and as streamed over the WebSocket.
struct TransitionRepresentation: Encodable {
    var record: TransitionRecord

    enum CodingKeys: String, CodingKey {
        case executionID = "execution_id", sequence, thread, fromState = "from_state", toState = "to_state", kind, at, details
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.executionID, forKey: .executionID)
        try container.encode(record.sequence, forKey: .sequence)
        try container.encode(record.thread, forKey: .thread)
        try container.encode(record.fromState, forKey: .fromState)
        try container.encode(record.toState, forKey: .toState)
        try container.encode(record.kind, forKey: .kind)
        try container.encode(record.at, forKey: .at)
        try container.encode(record.details, forKey: .details)
    }
}

/// `GET /v1/executions/{id}/transitions`.
struct TransitionList: Encodable {
    var transitions: [TransitionRepresentation]
}
