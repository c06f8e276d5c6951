import WorkflowProtocol

extension ExecutionUpdate {
    /// Checks that the update is well formed: its transitions belong to its execution and are
    /// numbered `expectedSequence + 1 ...` without gaps. Every store calls this before writing.
    ///
    /// - Throws: ``StoreError/backend(_:)`` naming the first problem.
    public func validate() throws {
        for (offset, transition) in transitions.enumerated() {
            guard transition.executionID == executionID else {
                throw StoreError.backend("transition \(transition.sequence) belongs to \(transition.executionID), not \(executionID)")
            }
            guard transition.sequence == expectedSequence + 1 + offset else {
                throw StoreError.backend(
                    "transition numbered \(transition.sequence), expected \(expectedSequence + 1 + offset) in execution \(executionID)")
            }
        }
    }
}
