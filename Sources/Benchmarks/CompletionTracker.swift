import Synchronization
import WorkflowEngine
import WorkflowProtocol

/// Counts executions that reached a terminal status (fed by the coordinator's step hook) and
/// lets the benchmark wait until a number of them did.
final class CompletionTracker: Sendable {
    private struct State {
        var finished: Set<String> = []
        var failures: [String] = []
    }

    private let state = Mutex(State())

    /// Called after every stored step.
    func observe(_ instance: ExecutionInstance) {
        guard instance.status.isTerminal else { return }
        state.withLock { state in
            guard state.finished.insert(instance.id).inserted else { return }
            if instance.status != .completed {
                state.failures.append("execution \(instance.id) ended \(instance.status.rawValue): \(instance.error?.message ?? "")")
            }
        }
    }

    /// Waits (polling every 2 ms) until `count` executions finished; throws on the first failed one.
    func wait(untilFinished count: Int) async throws {
        while true {
            let (finished, failure) = state.withLock { ($0.finished.count, $0.failures.first) }
            if let failure { throw BenchmarkError.executionFailed(failure) }
            if finished >= count { return }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
