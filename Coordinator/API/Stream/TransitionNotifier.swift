import Foundation
public import WorkflowProtocol
import Synchronization

/// Wakes the execution streams of this process as soon as the coordinator persisted a
/// transition, instead of at their next poll. Optional: streams poll the store anyway, which is
/// what covers transitions committed by another coordinator replica.
///
/// ```swift
/// let notifier = TransitionNotifier()
/// let coordinator = ExecutionCoordinator(store: store, performer: performer) { _, transitions in
///     notifier.committed(transitions)
/// }
/// ```
public final class TransitionNotifier: Sendable {
    private let subscribers = Mutex<[String: [UUID: AsyncStream<Void>.Continuation]]>([:])

    /// A notifier with no subscribers.
    public init() {}

    /// Wakes every stream of `executionID`.
    public func notify(executionID: String) {
        let continuations = subscribers.withLock { $0[executionID].map { Array($0.values) } ?? [] }
        for continuation in continuations { continuation.yield() }
    }

    /// Wakes the streams of the executions these transitions belong to (fits the coordinator's observer).
    public func committed(_ transitions: [TransitionRecord]) {
        for executionID in Set(transitions.map(\.executionID)) { notify(executionID: executionID) }
    }

    /// Wake-ups for `executionID` (coalesced: at most one is pending), delivered into `continuation`
    /// until the stream it belongs to terminates.
    func subscribe(executionID: String, _ continuation: AsyncStream<Void>.Continuation) {
        let id = UUID()
        subscribers.withLock { $0[executionID, default: [:]][id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { subscribers in
                subscribers[executionID]?[id] = nil
                if subscribers[executionID]?.isEmpty == true { subscribers[executionID] = nil }
            }
        }
    }

    /// How many streams listen, for tests.
    var subscriberCount: Int {
        subscribers.withLock { $0.values.reduce(0) { $0 + $1.count } }
    }
}
