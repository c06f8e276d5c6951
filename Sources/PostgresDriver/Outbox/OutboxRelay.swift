import DriverSupport
import Foundation
import WorkflowJSON
public import WorkflowDrivers

/// Publishes the `outbox` table: claims unpublished rows with `FOR UPDATE SKIP LOCKED`, hands
/// them to a publisher, marks the confirmed ones published and backs the rest off, all in one
/// transaction. Several relays (one per coordinator replica) can run at once: each row is claimed
/// by one of them at a time.
///
/// Delivery is at least once: a relay that loses its connection after publishing but before its
/// transaction commits leaves the rows unmarked, and they are published again; consumers drop the
/// copy by ``OutboxMessage/messageID``. ``run()`` survives a PostgreSQL restart: it reconnects and
/// carries on.
///
/// ```swift
/// let relay = OutboxRelay(pool: pool) { messages in try await broker.publishConfirmed(messages) }
/// try await relay.run()   // until cancelled
/// ```
public final class OutboxRelay: Sendable {
    /// Publishes a batch and returns the message ids the broker confirmed; throwing confirms none.
    public typealias Publisher = @Sendable ([OutboxMessage]) async throws -> Set<String>

    /// How the relay polls and backs off.
    public struct Configuration: Sendable {
        /// Rows claimed per transaction. Default 100.
        public var batchSize = 100
        /// The shortest wait before polling again when nothing was due. Default 100 ms.
        public var idleDelay: Duration = .milliseconds(100)
        /// The longest: an idle relay polls again when the earliest unpublished row comes due,
        /// when this process commits rows (``RelayWakeup``), and at the latest after this long,
        /// for rows other processes commit. Default 1 s.
        public var maxIdleDelay: Duration = .seconds(1)
        /// The first delay before an unconfirmed row is tried again, doubled per attempt up to 60 s. Default 1 s.
        public var retryDelay: Duration = .seconds(1)

        /// The defaults.
        public init() {}
    }

    private let pool: PostgresPool
    private let configuration: Configuration
    private let publisher: Publisher
    private let wakeup: RelayWakeup

    /// A relay over `pool`'s outbox; `wakeup` lets this process's writers cut its idle wait short.
    public init(pool: PostgresPool, configuration: Configuration = Configuration(), wakeup: RelayWakeup = RelayWakeup(), publisher: @escaping Publisher) {
        self.pool = pool
        self.configuration = configuration
        self.wakeup = wakeup
        self.publisher = publisher
    }

    /// Relays until the task is cancelled: a full batch is followed at once by the next; after a
    /// short one the relay waits until the earliest unpublished row comes due, at least
    /// ``Configuration/idleDelay`` and at most ``Configuration/maxIdleDelay`` (less when woken);
    /// a failure (the server is down) is followed by a growing backoff.
    public func run() async throws {
        var backoff = ReconnectBackoff()
        while !Task.isCancelled {
            do {
                let pass = try await relayOnce()
                backoff.reset()
                if pass.claimed < configuration.batchSize { await wakeup.wait(timeout: wakeup.isPending ? .zero : await idleWait()) }
            } catch is CancellationError {
                return
            } catch {
                try? await Task.sleep(for: backoff.next())
            }
        }
    }

    /// One transaction: claim up to ``Configuration/batchSize`` due rows, publish them, mark the outcome.
    @discardableResult
    public func relayOnce() async throws -> RelayPass {
        let batchSize = configuration.batchSize
        let retryMilliseconds = configuration.retryDelay.wholeMilliseconds
        let publisher = self.publisher
        return try await pool.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT id, message_id, topic, routing_key, payload, headers FROM outbox
                WHERE published_at IS NULL AND next_attempt_at <= now()
                ORDER BY id LIMIT \(bind: batchSize) FOR UPDATE SKIP LOCKED
                """)
            guard !rows.isEmpty else { return RelayPass(claimed: 0, published: 0) }
            let claimed = try rows.map { row in (id: try row.decode("id", as: Int64.self), message: try Self.message(from: row)) }
            var confirmed: Set<String> = []
            var failure = "not confirmed"
            do { confirmed = try await publisher(claimed.map(\.message)) } catch { failure = "\(error)" }
            let published = claimed.filter { confirmed.contains($0.message.messageID) }.map(\.id)
            let unconfirmed = claimed.filter { !confirmed.contains($0.message.messageID) }.map(\.id)
            if !published.isEmpty {
                try await connection.execute(
                    "UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY(\(bind: published)::bigint[])")
            }
            if !unconfirmed.isEmpty {
                try await connection.execute(
                    """
                    UPDATE outbox SET attempts = attempts + 1, last_error = \(bind: failure),
                        next_attempt_at = now() + least(interval '60 seconds', interval '1 millisecond' * \(bind: retryMilliseconds) * power(2, attempts))
                    WHERE id = ANY(\(bind: unconfirmed)::bigint[])
                    """)
            }
            return RelayPass(claimed: claimed.count, published: published.count)
        }
    }

    /// How long an idle relay waits: until the earliest unpublished row is due (by the server's
    /// clock), within ``Configuration/idleDelay`` and ``Configuration/maxIdleDelay``. If the
    /// server cannot say, the shortest wait: the next pass meets the failure and backs off.
    func idleWait() async -> Duration {
        let shortest = configuration.idleDelay
        let longest = max(configuration.maxIdleDelay, shortest)
        do {
            let row = try await pool.withConnection { connection in
                try await connection.query(
                    "SELECT extract(epoch FROM min(next_attempt_at) - clock_timestamp())::float8 AS due FROM outbox WHERE published_at IS NULL"
                ).first
            }
            guard let row, let seconds = try row.decode("due", as: Double?.self) else { return longest }
            return min(max(.seconds(seconds), shortest), longest)
        } catch {
            return shortest
        }
    }

    private static func message(from row: PostgresRow) throws -> OutboxMessage {
        let headers = try row.decode("headers", as: JSONValue.self).objectValue ?? [:]
        return OutboxMessage(
            messageID: try row.decode("message_id"), topic: try row.decode("topic"), routingKey: try row.decode("routing_key"),
            payload: try row.decode("payload"), headers: headers.compactMapValues(\.stringValue))
    }
}
