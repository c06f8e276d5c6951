import Synchronization

/// Deliveries waiting to start, one first-in-first-out queue per task queue lane, taken in turn
/// across lanes: one owner's backlog that a worker already took does not hold back a delivery of
/// another lane behind it (docs/protocol.md, "Lanes"). One reader (the dispatch loop), any number
/// of writers (the consumers' pumps).
final class LaneIntake<Item: Sendable>: Sendable {
    private struct State {
        var queues: [[Item]] = []
        /// The lane looked at first next time.
        var turn = 0
        var reader: CheckedContinuation<Item?, Never>?
        var finished = false

        /// The first delivery of the first lane from `turn` on that has one.
        mutating func pop() -> Item? {
            for offset in queues.indices {
                let lane = (turn + offset) % queues.count
                guard !queues[lane].isEmpty else { continue }
                turn = lane + 1
                return queues[lane].removeFirst()
            }
            return nil
        }
    }

    private let state = Mutex(State())

    /// Adds `item` to `lane`'s queue; `false` once ``finish()`` was called (the caller keeps the
    /// delivery, to give it back).
    func push(_ item: Item, lane: Int) -> Bool {
        let (accepted, reader) = state.withLock { state -> (Bool, CheckedContinuation<Item?, Never>?) in
            guard !state.finished else { return (false, nil) }
            // A waiting reader means every queue is empty: this delivery is next whatever its lane.
            if let reader = state.reader {
                state.reader = nil
                return (true, reader)
            }
            while state.queues.count <= lane { state.queues.append([]) }
            state.queues[lane].append(item)
            return (true, nil)
        }
        reader?.resume(returning: item)
        return accepted
    }

    /// The next delivery, lanes in turn; once finished, what is still queued, then `nil`.
    func next() async -> Item? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Item?? in
                if let item = state.pop() { return .some(item) }
                if state.finished { return .some(nil) }
                state.reader = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Takes no more deliveries; a reader waiting on an empty intake gets `nil`.
    func finish() {
        let reader = state.withLock { state in
            state.finished = true
            defer { state.reader = nil }
            return state.reader
        }
        reader?.resume(returning: nil)
    }
}
