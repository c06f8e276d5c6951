import DriverSupport

/// Deletes outbox rows that were published longer ago than the retention period, so the table
/// holds the unpublished rows plus a recent window for inspection instead of every message ever
/// sent. Unpublished rows are never touched, however old: they are work still owed.
///
/// Each pass finds the horizon, the first row in key order created inside the window, by walking
/// the primary key from its low end; then it deletes the published rows below it in batches of
/// ``Configuration/batchSize``, in key order, each batch starting where the last one ended. A pass
/// reads little more than the rows it deletes and needs no index of its own. Several purgers (one per coordinator replica) can run at once: each batch locks its
/// rows with `SKIP LOCKED`.
///
/// ```swift
/// let purger = OutboxPurger(pool: pool)   // keeps an hour of published rows
/// await purger.run()                      // a pass a minute, until cancelled
/// ```
public final class OutboxPurger: Sendable {
    /// How long published rows are kept and how often the purger looks.
    public struct Configuration: Sendable {
        /// Published rows younger than this stay (by creation and by publication). Default 1 hour.
        public var retention: Duration = .seconds(3600)
        /// The wait between passes. Default 60 s.
        public var interval: Duration = .seconds(60)
        /// Rows deleted per statement, each its own transaction. Default 10 000.
        public var batchSize = 10_000

        /// The defaults.
        public init() {}
    }

    private let pool: PostgresPool
    private let configuration: Configuration

    /// A purger over `pool`'s outbox.
    public init(pool: PostgresPool, configuration: Configuration = Configuration()) {
        self.pool = pool
        self.configuration = configuration
    }

    /// Purges every ``Configuration/interval`` until cancelled, telling `onPass` how many rows each
    /// pass deleted; a failed pass (the server is down) is simply tried again at the next one.
    public func run(onPass: @Sendable (Int) -> Void = { _ in }) async {
        while !Task.isCancelled {
            if let deleted = try? await purgeOnce() { onPass(deleted) }
            try? await Task.sleep(for: configuration.interval)
        }
    }

    /// One pass: finds the horizon, then deletes batches below it until one comes back short;
    /// answers how many rows it deleted.
    @discardableResult
    public func purgeOnce() async throws -> Int {
        let retentionSeconds = Double(configuration.retention.wholeMilliseconds) / 1000
        let batchSize = configuration.batchSize
        return try await pool.withConnection { connection in
            // The first row in key order created inside the window; every row below it is older.
            let horizon = try await connection.query(
                """
                SELECT coalesce(
                    (SELECT id FROM outbox WHERE created_at >= now() - make_interval(secs => \(bind: retentionSeconds)) ORDER BY id LIMIT 1),
                    (SELECT max(id) + 1 FROM outbox), 0)
                """
            ).first?.decode(at: 0, as: Int64.self) ?? 0
            var deleted = 0
            var after: Int64 = 0
            while true {
                // Each batch starts above the last one's highest id, so a pass reads each row once.
                let batch = try await connection.query(
                    """
                    WITH gone AS (
                        DELETE FROM outbox WHERE id IN (
                            SELECT id FROM outbox
                            WHERE id > \(bind: after) AND id < \(bind: horizon)
                              AND published_at < now() - make_interval(secs => \(bind: retentionSeconds))
                            ORDER BY id LIMIT \(bind: batchSize) FOR UPDATE SKIP LOCKED)
                        RETURNING id)
                    SELECT count(*), coalesce(max(id), 0) FROM gone
                    """
                ).first
                let count = try batch?.decode(at: 0, as: Int.self) ?? 0
                deleted += count
                guard count == batchSize else { return deleted }
                after = try batch?.decode(at: 1, as: Int64.self) ?? horizon
            }
        }
    }
}
