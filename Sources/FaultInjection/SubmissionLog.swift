import Synchronization

/// What the workload's submitter did so far, shared with the fault that waits for "halfway".
final class SubmissionLog: Sendable {
    private struct State {
        var accepted: [String] = []
        var refused = 0
        var lastRefusal: String?
        var finished = false
    }

    private let state = Mutex(State())

    func accept(_ id: String) { state.withLock { $0.accepted.append(id) } }
    func refuse(_ reason: String) { state.withLock { $0.refused += 1; $0.lastRefusal = reason } }
    func finish() { state.withLock { $0.finished = true } }

    var accepted: [String] { state.withLock { $0.accepted } }
    var refused: Int { state.withLock { $0.refused } }
    var lastRefusal: String? { state.withLock { $0.lastRefusal } }
    var attempts: Int { state.withLock { $0.accepted.count + $0.refused } }
    var finished: Bool { state.withLock { $0.finished } }
}
