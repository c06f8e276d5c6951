/// A gate for ordering concurrent steps in a test without sleeps: ``pass()`` counts an arrival
/// and waits while the gate is closed; ``waitForArrivals(_:)`` waits until that many came.
actor Gate {
    private var isOpen: Bool
    private var arrivals = 0
    private var held: [CheckedContinuation<Void, Never>] = []
    private var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(open: Bool) { isOpen = open }

    /// Counts an arrival; returns at once when open, otherwise when ``open()`` is called.
    func pass() async {
        arrivals += 1
        let reached = watchers.filter { $0.count <= arrivals }
        watchers.removeAll { $0.count <= arrivals }
        reached.forEach { $0.continuation.resume() }
        if !isOpen { await withCheckedContinuation { held.append($0) } }
    }

    /// Waits until `count` arrivals have come (open or not).
    func waitForArrivals(_ count: Int) async {
        if arrivals >= count { return }
        await withCheckedContinuation { watchers.append((count, $0)) }
    }

    /// Lets every held and later arrival through.
    func open() {
        isOpen = true
        held.forEach { $0.resume() }
        held = []
    }

    /// Holds later arrivals until ``open()``; restarts the count of arrivals.
    func close() {
        isOpen = false
        arrivals = 0
    }
}
