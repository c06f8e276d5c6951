import WorkflowDrivers

/// Runs `body` once, turning driver errors into ``StoreError/backend(_:)``: the stores' callers
/// see one error type whatever the backend.
func storeErrors<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as PostgresError { throw StoreError.backend(error.description) }
}
