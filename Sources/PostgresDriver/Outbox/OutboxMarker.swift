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
    /// One element when ids are queued (at most one waits): what ``run()`` sleeps on while idle.
    private let arrivals: AsyncStream<Void>
    private let arrived: AsyncStream<Void>.Continuation

    /// A marker over `pool`'s outbox that flushes `interval` after ids are queued (gathering
    /// those queued meanwhile), and does nothing while there is nothing to mark.
    public init(pool: PostgresPool, interval: Duration = .milliseconds(20)) {
        self.pool = pool
        self.interval = interval
        (arrivals, arrived) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `messageIDs` to be marked published.
    public func mark<IDs: Sequence<String>>(_ messageIDs: IDs) {
        pending.withLock { $0.append(contentsOf: messageIDs) }
        arrived.yield()
    }

    /// Flushes until cancelled, then once more; a failed flush keeps its ids and is tried again
    /// after the interval. Call it once per marker.
    public func run() async {
        for await _ in arrivals {
            try? await Task.sleep(for: interval)
            do { try await flush() } catch { arrived.yield() }
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
