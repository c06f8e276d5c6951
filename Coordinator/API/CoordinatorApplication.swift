public import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import NIOCore
public import Intelligence
public import LazyRabbitCoordinator
public import Logging

/// The coordinator's REST API v1 as a Hummingbird application, ready to run or to add to a
/// service group. The composition root: the `lazyrabbit coordinator` and `lazyrabbit dev`
/// commands call it with their backends, tests with in-memory ones.
///
/// ```swift
/// let app = buildCoordinatorApplication(
///     configuration: APIConfiguration(), controlPlane: plane, authenticator: authenticator,
///     rateLimiter: RedisRequestRateLimiter(RedisRateLimiter(pool: pool, policy: .init(capacity: 60, refillPerSecond: 20))),
///     readiness: ["postgres": { try await store.ping() }], metrics: metrics, streamNotifier: notifier)
/// try await app.runService()
/// ```
///
/// - Parameters:
///   - authenticator: turns `Authorization` headers into principals (every `/v1` route needs one).
///   - rateLimiter: the per-principal budget; `nil` turns rate limiting off.
///   - readiness: named checks `GET /readyz` runs, each within ``APIConfiguration/Readiness/timeout``.
///   - metrics: where HTTP metrics go and what `GET /metrics` serves (the host's own metrics too).
///   - streamNotifier: wakes execution streams as soon as this process commits a transition.
///   - drafter: writes workflows from plain language for `POST /v1/workflows/draft` (`nil`: no model, 503).
///   - llmUsage: counts what drafting costs, in `metrics` (`nil`: tokens only, no prices).
///   - logger: the application's logger.
public func buildCoordinatorApplication(
    configuration: APIConfiguration, controlPlane: ControlPlane, authenticator: any RequestAuthenticating,
    rateLimiter: (any RateLimiting)?, readiness: [String: @Sendable () async throws -> Void] = [:],
    metrics: MetricsRegistry = MetricsRegistry(), streamNotifier: TransitionNotifier? = nil, drafter: WorkflowDrafter? = nil,
    llmUsage: LLMUsageMetrics? = nil, logger: Logger = Logger(label: "lazyrabbit.api")
) -> some ApplicationProtocol {
    let router = buildCoordinatorRouter(
        configuration: configuration, controlPlane: controlPlane, authenticator: authenticator, rateLimiter: rateLimiter,
        readiness: readiness, metrics: metrics, streamNotifier: streamNotifier, drafter: drafter, llmUsage: llmUsage)
    return Application(
        router: router, server: server(router, idleTimeout: configuration.server.idleTimeout),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.server.host, port: configuration.server.port), serverName: "lazyrabbit"),
        logger: logger)
}

/// HTTP/1 with WebSocket upgrades on `router`: a connection silent for `idleTimeout` between
/// requests is closed (Hummingbird's idle timeout), and so is one not answered within it after
/// opening (``FirstResponseDeadlineChannel``); connections past the process's
/// ``ConnectionBudget`` are closed at once.
private func server(_ router: Router<APIRequestContext>, idleTimeout: Duration) -> HTTPServerBuilder {
    let timeout = TimeAmount.nanoseconds(Int64(idleTimeout / .nanoseconds(1)))
    let webSocketResponder = router.buildResponder()
    let budget = ConnectionBudget.forThisProcess()
    return HTTPServerBuilder { responder in
        FirstResponseDeadlineChannel(
            inner: HTTP1WebSocketUpgradeChannel(
                responder: responder, webSocketResponder: webSocketResponder, configuration: .init(http1: .init(idleTimeout: timeout))),
            deadline: timeout, budget: budget)
    }
}

/// The router behind ``buildCoordinatorApplication(configuration:controlPlane:authenticator:rateLimiter:readiness:metrics:streamNotifier:drafter:llmUsage:logger:)``:
/// every route, with its middleware, outermost first: request metrics, errors, body limit;
/// then on `/v1` authentication and rate limiting.
public func buildCoordinatorRouter(
    configuration: APIConfiguration, controlPlane: ControlPlane, authenticator: any RequestAuthenticating,
    rateLimiter: (any RateLimiting)?, readiness: [String: @Sendable () async throws -> Void] = [:],
    metrics: MetricsRegistry = MetricsRegistry(), streamNotifier: TransitionNotifier? = nil, drafter: WorkflowDrafter? = nil,
    llmUsage: LLMUsageMetrics? = nil
) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: RequestMetricsMiddleware(registry: metrics))
    router.add(middleware: ErrorMiddleware(routes: RouteIndex(OpenAPIDocument.routes)))
    router.add(middleware: BodyLimitMiddleware(limit: configuration.limits.bodyBytes))
    OperationsRoutes(readiness: ReadinessChecks(checks: readiness, timeout: configuration.readiness.timeout), metrics: metrics)
        .add(to: router)

    let v1 = router.group("v1").add(middleware: AuthenticationMiddleware(authenticator: authenticator))
    if let rateLimiter { v1.add(middleware: RateLimitMiddleware(limiter: rateLimiter)) }
    WorkflowRoutes(controlPlane: controlPlane).add(to: v1)
    WorkflowDraftRoute(controlPlane: controlPlane, drafter: drafter, usage: llmUsage ?? LLMUsageMetrics(registry: metrics)).add(to: v1)
    ExecutionRoutes(controlPlane: controlPlane).add(to: v1)
    ExecutionActionRoutes(controlPlane: controlPlane).add(to: v1)
    ExecutionStreamRoute(
        controlPlane: controlPlane, notifier: streamNotifier, pollInterval: configuration.stream.pollInterval,
        quota: InFlightQuota(perUser: configuration.stream.perUser, total: configuration.stream.total, what: "execution streams open", advice: "close one first")
    ).add(to: v1)
    return router
}
