import Synchronization
import WorkflowDSL
import WorkflowEngine

/// One compiled ``WorkflowEngine`` per definition text, shared by every shard of a coordinator and
/// every execution of the definition.
final class EngineCache: Sendable {
    private let engines = Mutex<[String: WorkflowEngine]>([:])

    /// The engine of `definition`, whose text is `source`; compiled on first use.
    func engine(for definition: WorkflowDefinition, source: String) -> WorkflowEngine {
        if let engine = engines.withLock({ $0[source] }) { return engine }
        let engine = WorkflowEngine(CompiledWorkflow(definition))
        return engines.withLock { engines in
            if let existing = engines[source] { return existing }
            engines[source] = engine
            return engine
        }
    }
}
