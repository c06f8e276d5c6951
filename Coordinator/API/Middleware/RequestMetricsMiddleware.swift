import Hummingbird
import Logging
import NIOHTTP1
import WorkflowJSON

/// Counts requests by method, route template and status, and records their durations.
/// Sits outside ``ErrorMiddleware``, so it sees the status the client gets; an HTTP parser error
/// that passes through is counted as the 400 Hummingbird answers it with.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let requests: MetricsCounter
    let durations: MetricsHistogram

    init(registry: MetricsRegistry) {
        requests = registry.counter("lazyrabbit_http_requests_total", help: "HTTP requests answered, by method, route template and status.")
        durations = registry.histogram(
            "lazyrabbit_http_request_duration_seconds", help: "Time to produce a response, by method and route template.",
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context: context, status: response.status, since: start)
            return response
        } catch let error as HTTPParserError {
            // Passed through to Hummingbird, which answers it with 400.
            record(request, context: context, status: .badRequest, since: start)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        let seconds = start.duration(to: .now) / .seconds(1)
        requests.increment(labels: ["method": request.method.rawValue, "route": route, "status": String(status.code)])
        durations.observe(seconds, labels: ["method": request.method.rawValue, "route": route])
    }
}
