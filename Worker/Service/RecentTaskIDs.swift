/// The most recent task ids added, at most ``capacity`` of them (the oldest is forgotten first):
/// a bounded memory of cancelled tasks, so that a redelivered copy is acked without running.
struct RecentTaskIDs: Sendable {
    /// How many ids are kept.
    let capacity: Int
    private var members: Set<String> = []
    private var order: [String] = []
    private var oldest = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a memory of nothing would forget every cancellation at once")
        self.capacity = capacity
    }

    /// Whether `id` is among the ids kept.
    func contains(_ id: String) -> Bool { members.contains(id) }

    /// Adds `id`, forgetting the oldest id once ``capacity`` is reached.
    mutating func insert(_ id: String) {
        guard members.insert(id).inserted else { return }
        if order.count < capacity {
            order.append(id)
        } else {
            members.remove(order[oldest])
            order[oldest] = id
            oldest = (oldest + 1) % capacity
        }
    }
}
