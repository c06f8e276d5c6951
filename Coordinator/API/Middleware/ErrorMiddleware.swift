import Hummingbird
import Logging
import NIOHTTP1
import WorkflowJSON

/// Turns every error thrown below it into the API's JSON error response (via ``APIError/init(_:)``),
/// tells 405 from 404 for paths that exist under another method, answers 404 to a path with an
/// empty segment, and logs unexpected errors.
/// HTTP parser errors pass through: Hummingbird answers them with 400 and closes the connection.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    /// The documented routes, to answer 405 with `Allow` rather than 404.
    let routes: RouteIndex

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The router would collapse an empty segment (`/v1/executions//cancel` as
        // `/v1/executions/cancel`) and serve another path than the one asked for.
        guard !request.uri.path.contains("//") else {
            return try APIError.routeNotFound(request.uri.path).response(from: request, context: context)
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPParserError {
            // A malformed body (a bad chunk size): the connection cannot carry another request.
            // Hummingbird answers 400 and closes it when the parser's error reaches it.
            throw error
        } catch {
            var apiError = APIError(error)
            if apiError.status == .notFound, context.endpointPath == nil || context.endpointPath == "NotFound", !(error is APIError) {
                apiError = routeError(for: request)
            }
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["lr.error": "\(String(reflecting: error))", "lr.path": "\(request.uri.path)"])
            }
            return try apiError.response(from: request, context: context)
        }
    }

    private func routeError(for request: Request) -> APIError {
        let methods = routes.methods(forPath: request.uri.path)
        guard !methods.isEmpty else { return .routeNotFound(request.uri.path) }
        var headers = HTTPFields()
        headers[.allow] = methods.map(\.rawValue).joined(separator: ", ")
        return APIError(
            .methodNotAllowed, code: "method_not_allowed", "\(request.method) is not allowed on \(request.uri.path)",
            details: ["allow": .array(methods.map { .string($0.rawValue) })], headers: headers)
    }
}
