import ServiceLifecycle

/// A long-running loop as a `Service`: it runs `body` and cancels it when the service group
/// shuts down gracefully, so `body` only has to honour task cancellation.
struct GracefulLoop: Service {
    let body: @Sendable () async throws -> Void

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await body() }
    }
}
