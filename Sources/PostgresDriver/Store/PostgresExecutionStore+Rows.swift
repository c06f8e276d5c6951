import Foundation
import WorkflowDrivers
import WorkflowJSON
import WorkflowProtocol

/// Mapping between the store's records and the schema's rows.
extension PostgresExecutionStore {
    /// The columns ``execution(from:)`` reads (the owner's username joined from `users`).
    static let executionColumns = """
        id, workflow_name, definition_source, status, sequence, snapshot, initial_context, final_context, error,
        parent_execution_id, parent_task_id, (SELECT username FROM users u WHERE u.id = owner_id) AS owner,
        workflow_id::text AS workflow_id, workflow_version, idempotency_key, created_at, updated_at
        """

    /// Inserts the execution unless its id or its owner's idempotency key is taken (then no row).
    /// One call of `lr_create_execution` (migration 6): the row, its transitions and its outbox
    /// messages in one statement; answers whether the row was new.
    static func createQuery(_ execution: ExecutionRecord, transitions: [TransitionRecord], outbox: [OutboxMessage]) throws -> PostgresQuery {
        let snapshot = try execution.snapshot.data()
        return PostgresQuery(
            """
            SELECT lr_create_execution(
                \(bind: execution.id)::text, \(bind: execution.workflowName)::text, \(bind: execution.definitionSource)::text,
                \(bind: execution.status.rawValue)::text, \(bind: execution.sequence)::bigint, \(bind: snapshot)::bytea,
                \(bind: execution.input)::jsonb, \(bind: execution.output)::jsonb, \(bind: execution.error)::jsonb,
                \(bind: execution.parentID)::text, \(bind: execution.parentTaskID)::text, \(bind: execution.owner)::text,
                \(bind: execution.workflowID)::bigint, \(bind: execution.workflowVersion)::integer, \(bind: execution.idempotencyKey)::text,
                \(bind: ExecutionRecord.storedDate(execution.createdAt))::timestamptz,
                \(bind: ExecutionRecord.storedDate(execution.updatedAt))::timestamptz,
                \(bind: json(transitions))::jsonb, \(bind: json(outbox))::jsonb)
            """
        ).named("create_execution")
    }

    static func execution(from row: PostgresRow) throws -> ExecutionRecord {
        let statusText = try row.decode("status", as: String.self)
        guard let status = ExecutionStatus(rawValue: statusText) else {
            throw StoreError.backend("unknown status \(statusText) stored for execution \(try row.decode("id", as: String.self))")
        }
        return ExecutionRecord(
            id: try row.decode("id"), workflowName: try row.decode("workflow_name"), definitionSource: try row.decode("definition_source"),
            status: status, sequence: try row.decode("sequence"), snapshot: ExecutionSnapshot(try row.decode("snapshot", as: Data.self)), input: try row.decode("initial_context"),
            output: try row.decode("final_context"), error: try row.decode("error"), parentID: try row.decode("parent_execution_id"),
            parentTaskID: try row.decode("parent_task_id"), owner: try row.decode("owner"), workflowID: try row.decode("workflow_id"),
            workflowVersion: try row.decode("workflow_version"), idempotencyKey: try row.decode("idempotency_key"),
            createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"))
    }

    static func transition(from row: PostgresRow) throws -> TransitionRecord {
        TransitionRecord(
            executionID: try row.decode("execution_id"), sequence: try row.decode("sequence"), thread: try row.decode("thread"),
            fromState: try row.decode("from_state"), toState: try row.decode("to_state"), kind: try row.decode("transition_type"),
            at: try row.decode("created_at"), details: try row.decode("details"))
    }

    /// Transitions as the JSON array `lr_record_transition_sets` reads with `jsonb_to_recordset`.
    static func json(_ transitions: [TransitionRecord]) -> JSONValue {
        .array(transitions.map { transition in
            [
                "sequence": .integer(transition.sequence), "thread": .string(transition.thread),
                "from_state": transition.fromState.map(JSONValue.string) ?? .null,
                "to_state": transition.toState.map(JSONValue.string) ?? .null, "kind": .string(transition.kind),
                "at": .string(transition.at.postgresValue.text ?? ""), "details": transition.details,
            ]
        })
    }

    /// Outbox messages as the JSON array `lr_commit_executions` reads (payload in base64; a
    /// ``OutboxMessage/notBefore`` travels as the `lr-not-before` header migration 3's trigger reads).
    static func json(_ messages: [OutboxMessage]) -> JSONValue {
        .array(messages.map { message in
            var headers = message.headers.mapValues(JSONValue.string)
            if let notBefore = message.notBefore { headers["lr-not-before"] = .string(notBefore.postgresValue.text ?? "") }
            return [
                "message_id": .string(message.messageID), "topic": .string(message.topic), "routing_key": .string(message.routingKey),
                "payload": .string(message.payload.base64EncodedString()), "headers": .object(headers),
            ]
        })
    }
}
