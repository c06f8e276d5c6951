import Logging
import WorkflowJSON
import Hummingbird

/// Enforces the body limit: a declared `Content-Length` above it answers 413 before anything
/// reads the body, and the limit is put in the context so readers stop there too.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw APIError(
                .contentTooLarge, code: "payload_too_large", "the request body is \(declared) bytes; the limit is \(limit)",
                details: ["limit_bytes": .integer(limit)])
        }
        var context = context
        context.maxUploadSize = limit
        return try await next(request, context)
    }
}
