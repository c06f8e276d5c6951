import Synchronization
import WorkflowDrivers

/// Group commit for single commits: commits that arrive while earlier ones are being written
/// queue up and go to the server together, as one pipelined transaction
/// (``PostgresExecutionStore/commitBatch(_:)-([ExecutionCommit])``), so concurrent writers share
/// round trips and WAL flushes. At most `maxFlushes` batches are in flight; with no contention a
/// commit is sent at once, alone.
///
/// If a batch fails as a whole (a database error, not a per-update conflict), each of its commits
/// is retried alone so that one bad update cannot fail its neighbours.
final class GroupCommitter: Sendable {
    private struct Waiter {
        var commit: ExecutionCommit
        var continuation: CheckedContinuation<CommitResult, any Error>
    }

    private struct State {
        var waiting: [Waiter] = []
        var flushes = 0
    }

    private let state = Mutex(State())
    private let maxFlushes: Int
    private let maxBatch = 500
    private let send: @Sendable ([ExecutionCommit]) async throws -> [Result<CommitResult, StoreError>]
    private let sendAlone: @Sendable (ExecutionCommit) async throws -> CommitResult

    init(
        maxFlushes: Int, send: @escaping @Sendable ([ExecutionCommit]) async throws -> [Result<CommitResult, StoreError>],
        sendAlone: @escaping @Sendable (ExecutionCommit) async throws -> CommitResult
    ) {
        self.maxFlushes = max(1, maxFlushes)
        self.send = send
        self.sendAlone = sendAlone
    }

    /// Queues `commit` and returns its result once its batch is written.
    func commit(_ commit: ExecutionCommit) async throws -> CommitResult {
        try await withCheckedThrowingContinuation { continuation in
            let startsFlush = state.withLock { state in
                state.waiting.append(Waiter(commit: commit, continuation: continuation))
                guard state.flushes < maxFlushes else { return false }
                state.flushes += 1
                return true
            }
            // A flush is a bounded drain of the queue, not a service loop: it ends when the queue is empty.
            if startsFlush { Task { await self.flush() } }
        }
    }

    private func flush() async {
        while true {
            let batch = state.withLock { state -> [Waiter] in
                let batch = Array(state.waiting.prefix(maxBatch))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.flushes -= 1 }
                return batch
            }
            guard !batch.isEmpty else { return }
            await write(batch)
        }
    }

    private func write(_ batch: [Waiter]) async {
        if batch.count > 1, let results = try? await send(batch.map(\.commit)) {
            for (waiter, result) in zip(batch, results) { waiter.continuation.resume(with: result.mapError { $0 as any Error }) }
            return
        }
        for waiter in batch {
            do { waiter.continuation.resume(returning: try await sendAlone(waiter.commit)) } catch { waiter.continuation.resume(throwing: error) }
        }
    }
}
