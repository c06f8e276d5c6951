import Synchronization

/// Group submission: items submitted while earlier sends are in flight queue up and go out
/// together in the next send, so concurrent callers share one round trip (group commit in
/// PostgreSQL, group publishing with RabbitMQ confirms). With nothing in flight an item is sent
/// at once, alone: grouping adds no latency, it only forms under load.
///
/// A send is a bounded drain of the queue, not a service loop: it ends when the queue is empty.
///
/// ```swift
/// let commits = SubmissionGroup<Update, Bool>(maxSends: 2, maxWeight: 500) { updates in
///     await store.writeInOneTransaction(updates)   // one result per update, in order
/// }
/// let applied = try await commits.submit(update)
/// ```
public final class SubmissionGroup<Item: Sendable, Answer: Sendable>: Sendable {
    private struct Waiter {
        var item: Item
        var weight: Int
        var continuation: CheckedContinuation<Answer, any Error>
    }

    private struct State {
        var waiting: [Waiter] = []
        var sends = 0
    }

    private let state = Mutex(State())
    private let maxSends: Int
    private let maxWeight: Int
    private let send: @Sendable ([Item]) async -> [Result<Answer, any Error>]

    /// - Parameters:
    ///   - maxSends: most sends in flight at once (at least 1).
    ///   - maxWeight: most total weight per send; an item heavier than that goes alone, never split.
    ///   - send: sends a group and answers one result per item, in order.
    public init(maxSends: Int = 1, maxWeight: Int, send: @escaping @Sendable ([Item]) async -> [Result<Answer, any Error>]) {
        self.maxSends = max(1, maxSends)
        self.maxWeight = max(1, maxWeight)
        self.send = send
    }

    /// Items queued and not yet taken into a send.
    public var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Queues `item` and returns its answer once its group is sent.
    ///
    /// - Parameter weight: what the item counts against `maxWeight` (a batch of messages counts each).
    public func submit(_ item: Item, weight: Int = 1) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            let startsSend = state.withLock { state in
                state.waiting.append(Waiter(item: item, weight: weight, continuation: continuation))
                guard state.sends < maxSends else { return false }
                state.sends += 1
                return true
            }
            if startsSend { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let group = state.withLock { state -> [Waiter] in
                var total = 0
                let taken = state.waiting.prefix { waiter in
                    defer { total += waiter.weight }
                    return total == 0 || total + waiter.weight <= maxWeight
                }
                state.waiting.removeFirst(taken.count)
                if taken.isEmpty { state.sends -= 1 }
                return Array(taken)
            }
            guard !group.isEmpty else { return }
            let results = await send(group.map(\.item))
            for (index, waiter) in group.enumerated() {
                waiter.continuation.resume(with: index < results.count ? results[index] : .failure(SubmissionGroupError.noAnswer))
            }
        }
    }
}

/// The send answered fewer results than it was given items.
public struct SubmissionGroupError: Error, Equatable, CustomStringConvertible {
    static let noAnswer = SubmissionGroupError()

    public var description: String { "the group's send gave no answer for this item" }
}
