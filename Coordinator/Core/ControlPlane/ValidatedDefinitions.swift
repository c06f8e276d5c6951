import Synchronization
import WorkflowDSL

/// Definitions that passed validation, by their source text, so that starting executions of a
/// stored workflow does not parse and validate the same YAML again for every run (the validation
/// options are fixed per ``ControlPlane``, and stored versions never change). Holds at most
/// `capacity` definitions and forgets the oldest first.
final class ValidatedDefinitions: Sendable {
    private struct State {
        var definitions: [String: WorkflowDefinition] = [:]
        var insertionOrder: [String] = []
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 256) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    /// The definition validated from `source` before, if it is still held.
    func definition(for source: String) -> WorkflowDefinition? {
        state.withLock { $0.definitions[source] }
    }

    /// Remembers that `source` validated to `definition`.
    func remember(_ definition: WorkflowDefinition, for source: String) {
        state.withLock { state in
            guard state.definitions.updateValue(definition, forKey: source) == nil else { return }
            state.insertionOrder.append(source)
            if state.insertionOrder.count > capacity {
                state.definitions[state.insertionOrder.removeFirst()] = nil
            }
        }
    }
}
