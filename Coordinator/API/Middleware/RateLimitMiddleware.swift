import AccessControl
import Logging
import WorkflowJSON
import Hummingbird

/// Limits each principal's request rate (after authentication, by ``Principal/rateLimitKey``);
/// over the limit answers 429 with `Retry-After` in seconds. When the limiter itself fails
/// (Redis unreachable) the request goes through and a warning is logged: throttling is not
/// worth an outage.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let limiter: any RateLimiting

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = context.principal?.rateLimitKey else { return try await next(request, context) }
        let decision: RateDecision
        do {
            decision = try await limiter.allow(key: key)
        } catch {
            context.logger.warning("rate limiter unavailable; letting the request through", metadata: ["lr.error": "\(error)"])
            return try await next(request, context)
        }
        guard decision.allowed else {
            var headers = HTTPFields()
            headers[.retryAfter] = String(decision.retryAfterSeconds)
            throw APIError(
                .tooManyRequests, code: "rate_limited", "too many requests: retry in \(decision.retryAfterSeconds) s",
                details: ["retry_after_seconds": .integer(decision.retryAfterSeconds)], headers: headers)
        }
        return try await next(request, context)
    }
}
