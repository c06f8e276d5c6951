/// Why a store refused a write.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateExecution(String)
    /// The owner already started an execution with this idempotency key: `existingID`.
    case duplicateIdempotencyKey(existingID: String)
    /// The owner already has a workflow of this name.
    case duplicateWorkflow(owner: String, name: String)
    /// Outbox messages were handed to a store that keeps none (embedded stores perform effects in process).
    case outboxUnsupported
    case executionNotFound(String)
    /// The stored sequence number is not the one the writer expected: someone else moved the execution.
    case conflict(executionID: String, expected: Int, found: Int)
    /// The writer's lock was taken over since: its fencing token is older than one already accepted.
    case staleFencingToken(executionID: String, token: Int64, current: Int64)
    /// The backend failed; the message says how.
    case backend(String)

    public var description: String {
        switch self {
        case .duplicateExecution(let id): "execution \(id) already exists"
        case .duplicateIdempotencyKey(let id): "the idempotency key was already used by execution \(id)"
        case .duplicateWorkflow(let owner, let name): "\(owner) already has a workflow named \(name)"
        case .outboxUnsupported: "this store keeps no outbox"
        case .executionNotFound(let id): "no execution \(id)"
        case .conflict(let id, let expected, let found): "execution \(id) is at sequence \(found), not \(expected): another writer moved it"
        case .staleFencingToken(let id, let token, let current): "execution \(id): fencing token \(token) is stale (\(current) was accepted): the lock was lost"
        case .backend(let message): message
        }
    }
}
