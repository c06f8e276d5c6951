import Synchronization

/// Marks outbox rows published that were published straight after their commit (the eager path
/// of the coordinator), in batches: one `UPDATE` for whatever accumulated since the last flush.
/// A row the marker never gets to (a crash, a lost connection) stays unpublished and the
/// ``OutboxRelay`` publishes it again once it is due — a duplicate delivery, which consumers drop
/// by message id; never a lost one.
public final class OutboxMarker: Sendable {
    private let pool: PostgresPool
    private let pending = Mutex<[String]>([])
    private let interval: Duration

    /// A marker over `pool`'s outbox that flushes every `interval` while there is something to mark.
    public init(pool: PostgresPool, interval: Duration = .milliseconds(20)) {
        self.pool = pool
        self.interval = interval
    }

    /// Queues `messageIDs` to be marked published.
    public func mark<IDs: Sequence<String>>(_ messageIDs: IDs) {
        pending.withLock { $0.append(contentsOf: messageIDs) }
    }

    /// Flushes until cancelled; a failed flush keeps its ids for the next one.
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            _ = try? await flush()
        }
        _ = try? await flush()
    }

    /// Marks what is queued now; answers how many rows it marked.
    @discardableResult
    public func flush() async throws -> Int {
        let ids = pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
        guard !ids.isEmpty else { return 0 }
        do {
            return try await pool.withConnection { connection in
                try await connection.execute(
                    """
                    UPDATE outbox SET published_at = now(), attempts = attempts + 1
                    WHERE message_id = ANY(\(bind: ids)::text[]) AND published_at IS NULL
                    """)
            }
        } catch {
            pending.withLock { $0.insert(contentsOf: ids, at: 0) }
            throw error
        }
    }
}
