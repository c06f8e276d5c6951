import Foundation
import GRDB
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// Row mapping: dates are integer milliseconds since 1970, JSON values are compact JSON text.
extension SQLiteExecutionStore {
    static func json(_ text: String?) throws -> JSONValue? {
        try text.map { try JSONValue(jsonString: $0) }
    }

    static func execution(from row: Row) throws -> ExecutionRecord {
        let statusText: String = row["status"]
        guard let status = ExecutionStatus(rawValue: statusText) else {
            throw StoreError.backend("unknown status \(statusText) stored for execution \(row["id"] as String)")
        }
        return ExecutionRecord(
            id: row["id"], workflowName: row["workflow_name"], definitionSource: row["definition_source"], status: status,
            sequence: row["sequence"], snapshot: ExecutionSnapshot(row["snapshot"] as Data), input: try json(row["input"]) ?? .null,
            output: try json(row["output"]), error: try json(row["error"]), parentID: row["parent_id"], parentTaskID: row["parent_task_id"],
            owner: row["owner"], workflowID: row["workflow_id"], workflowVersion: row["workflow_version"],
            idempotencyKey: row["idempotency_key"], createdAt: SQLiteDatabase.date(milliseconds: row["created_at"]), updatedAt: SQLiteDatabase.date(milliseconds: row["updated_at"]))
    }

    static func transition(from row: Row) throws -> TransitionRecord {
        TransitionRecord(
            executionID: row["execution_id"], sequence: row["sequence"], thread: row["thread"], fromState: row["from_state"],
            toState: row["to_state"], kind: row["kind"], at: SQLiteDatabase.date(milliseconds: row["at"]), details: try json(row["details"]) ?? .null)
    }

    static func insert(_ transitions: [TransitionRecord], into db: Database) throws {
        for transition in transitions {
            try db.execute(
                sql: """
                    INSERT INTO transitions (execution_id, sequence, thread, from_state, to_state, kind, at, details)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    transition.executionID, transition.sequence, transition.thread, transition.fromState, transition.toState,
                    transition.kind, SQLiteDatabase.milliseconds(transition.at), transition.details.encodedString(),
                ])
        }
    }
}
