import DriverSupport
public import Foundation

/// Deletes outbox rows that were published longer ago than the retention period, so the table
/// holds the unpublished rows plus a recent window for inspection instead of every message ever
/// sent. Unpublished rows are never touched, however old: they are work still owed.
///
/// A pass deletes the published rows older than the window in batches of
/// ``Configuration/batchSize``, oldest publication first, through the partial index of published
/// rows (migration 9); each batch is its own statement on a connection of its own and starts where
/// the last one ended, so a pass reads what it deletes and nothing else. Several purgers (one per
/// coordinator replica) can run at once: each batch locks its rows with `SKIP LOCKED`, and a row
/// another one holds is left for a later pass.
///
/// ```swift
/// let purger = OutboxPurger(pool: pool)   // keeps an hour of published rows
/// await purger.run()                      // a pass a minute, until cancelled
/// ```
public final class OutboxPurger: Sendable {
    /// How long published rows are kept and how often the purger looks.
    public struct Configuration: Sendable {
        /// Published rows younger than this stay. Default 1 hour.
        public var retention: Duration = .seconds(3600)
        /// The wait between passes. Default 60 s.
        public var interval: Duration = .seconds(60)
        /// Rows deleted per statement (at least 1). Default 5 000.
        public var batchSize = 5000

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
    /// pass deleted and `onFailure` why a pass failed (it is tried again at the next one).
    public func run(onPass: @Sendable (Int) -> Void = { _ in }, onFailure: @Sendable (any Error) -> Void = { _ in }) async {
        while !Task.isCancelled {
            do {
                onPass(try await purgeOnce())
            } catch is CancellationError {
                return
            } catch {
                onFailure(error)
            }
            try? await Task.sleep(for: configuration.interval)
        }
    }

    /// One pass: deletes batches until one finds nothing; answers how many rows it deleted.
    @discardableResult
    public func purgeOnce() async throws -> Int {
        let cutoff = Date().addingTimeInterval(-Double(configuration.retention.wholeMilliseconds) / 1000)
        let batchSize = max(1, configuration.batchSize)
        var deleted = 0
        var after = (publishedAt: Date(timeIntervalSince1970: 0), id: Int64(0))
        while true {
            // `= ANY(ARRAY(…))` keeps the delete on the primary key; `IN (…)` let the planner hash
            // the batch and scan the whole table for it.
            let row = try await pool.withConnection { connection in
                try await connection.query(
                    """
                    WITH gone AS (
                        DELETE FROM outbox WHERE id = ANY(ARRAY(
                            SELECT id FROM outbox
                            WHERE published_at IS NOT NULL AND published_at < \(bind: cutoff)
                              AND (published_at, id) > (\(bind: after.publishedAt), \(bind: after.id))
                            ORDER BY published_at, id LIMIT \(bind: batchSize) FOR UPDATE SKIP LOCKED))
                        RETURNING published_at, id)
                    SELECT count(*) OVER (), published_at, id FROM gone ORDER BY published_at DESC, id DESC LIMIT 1
                    """
                ).first
            }
            // No row: the batch found nothing left to delete. Otherwise its size and its last row.
            guard let row else { return deleted }
            deleted += try row.decode(at: 0, as: Int.self)
            after = (try row.decode(at: 1, as: Date.self), try row.decode(at: 2, as: Int64.self))
        }
    }
}
