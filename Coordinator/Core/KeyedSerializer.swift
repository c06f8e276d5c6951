/// Runs operations one at a time per key inside an actor, across suspension points.
///
/// Actor methods are re-entrant: while one step of an execution awaits the store, another event
/// for the same execution could start from the same snapshot. Holding the key's turn for the
/// whole step keeps each execution's steps strictly in order; other keys proceed meanwhile.
struct KeyedSerializer {
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Whether `key` is free; marks it taken when it is.
    mutating func tryTake(_ key: String) -> Bool {
        guard waiting[key] == nil else { return false }
        waiting[key] = []
        return true
    }

    /// Queues a waiter for `key`; it is resumed by ``hand(_:)`` when its turn comes.
    mutating func enqueue(_ key: String, _ continuation: CheckedContinuation<Void, Never>) {
        waiting[key, default: []].append(continuation)
    }

    /// Gives `key` to the next waiter, or frees it.
    mutating func hand(_ key: String) {
        guard var queue = waiting[key], !queue.isEmpty else {
            waiting[key] = nil
            return
        }
        let next = queue.removeFirst()
        waiting[key] = queue
        next.resume()
    }
}
