import Synchronization

/// Group publishing: batches handed to ``AMQPPublisher/publish(_:)-([OutgoingMessage])`` while an
/// earlier batch waits for its confirms are sent together, as one batch, once it is answered. A
/// connection answers one batch at a time, so without this every concurrent caller would pay a
/// full confirm round trip in turn; with it they share one. Results go back to each caller in the
/// order of its own messages.
final class PublishGroup: Sendable {
    private struct Waiter {
        var messages: [OutgoingMessage]
        var continuation: CheckedContinuation<[PublishResult], any Error>
    }

    private struct State {
        var waiting: [Waiter] = []
        var flushing = false
    }

    private let state = Mutex(State())
    private let maxMessages: Int
    private let send: @Sendable ([OutgoingMessage]) async throws -> [PublishResult]

    /// - Parameters:
    ///   - maxMessages: most messages per combined batch (callers' batches are never split).
    ///   - send: publishes one combined batch and waits for its confirms.
    init(maxMessages: Int, send: @escaping @Sendable ([OutgoingMessage]) async throws -> [PublishResult]) {
        self.maxMessages = max(1, maxMessages)
        self.send = send
    }

    /// Queues `messages` and returns their results once their combined batch is answered.
    func publish(_ messages: [OutgoingMessage]) async throws -> [PublishResult] {
        guard !messages.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            let startsFlush = state.withLock { state in
                state.waiting.append(Waiter(messages: messages, continuation: continuation))
                guard !state.flushing else { return false }
                state.flushing = true
                return true
            }
            // A flush drains the queue and ends; it is not a service loop.
            if startsFlush { Task { await self.flush() } }
        }
    }

    private func flush() async {
        while true {
            let batch = state.withLock { state -> [Waiter] in
                var count = 0
                let taken = state.waiting.prefix { waiter in
                    defer { count += waiter.messages.count }
                    return count == 0 || count + waiter.messages.count <= maxMessages
                }
                state.waiting.removeFirst(taken.count)
                if taken.isEmpty { state.flushing = false }
                return Array(taken)
            }
            guard !batch.isEmpty else { return }
            do {
                var results = try await send(batch.flatMap(\.messages))[...]
                for waiter in batch {
                    waiter.continuation.resume(returning: Array(results.prefix(waiter.messages.count)))
                    results = results.dropFirst(waiter.messages.count)
                }
            } catch {
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            }
        }
    }
}
