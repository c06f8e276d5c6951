import WorkflowJSON

extension ExecutionMachine {
    /// Holds every dispatch from now on; running tasks finish and are recorded.
    mutating func pause(by user: String?) {
        guard instance.paused != true else { return }
        instance.paused = true
        record("execution_paused", thread: ExecutionThread.mainID, details: ["by": user.map { .string($0) } ?? .null])
    }

    /// Dispatches the tasks held while paused, in the order they were held.
    mutating func resume(by user: String?) {
        guard instance.paused == true else { return }
        instance.paused = nil
        let held = instance.heldTasks ?? []
        instance.heldTasks = nil
        record("execution_resumed", thread: ExecutionThread.mainID, details: [
            "by": user.map { .string($0) } ?? .null, "released_tasks": .integer(held.count),
        ])
        effects += held.compactMap { instance.pendingTasks[$0] }.map(EngineEffect.dispatch)
    }
}
