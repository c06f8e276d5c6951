import EmbeddedRuntime
import Foundation
import LazyRabbitCoordinator
import Synchronization
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

/// What `lazyrabbit run --approve/--reject/--signal` does on the user's behalf while the execution runs.
final class RunAutomation: Sendable {
    private let approve: Bool
    private let reject: Bool
    private let signals: [(String, JSONValue)]
    private let runtime = Mutex<EmbeddedRuntime?>(nil)

    init(approve: Bool, reject: Bool, signals: [(String, JSONValue)]) {
        self.approve = approve
        self.reject = reject
        self.signals = signals
    }

    func attach(_ runtime: EmbeddedRuntime) {
        self.runtime.withLock { $0 = runtime }
    }

    /// Decides approvals as soon as they are requested, when asked to.
    func react(to instance: ExecutionInstance, records: [TransitionRecord]) {
        guard approve || reject, let runtime = runtime.withLock({ $0 }) else { return }
        for record in records where record.kind == "approval_requested" {
            let event = EngineEvent.approval(state: record.fromState, approved: approve, by: "lazyrabbit run", comment: nil)
            Task { try? await runtime.coordinator.deliver(event, to: instance.id) }
        }
    }

    /// Sends the `--signal` payloads.
    func sendSignals(to executionID: String) async {
        guard let runtime = runtime.withLock({ $0 }) else { return }
        for (name, payload) in signals {
            _ = try? await runtime.coordinator.deliver(.signal(name: name, payload: payload), to: executionID)
        }
    }
}
