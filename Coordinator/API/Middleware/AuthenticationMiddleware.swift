import AccessControl
import Logging
import WorkflowJSON
import Hummingbird

/// Requires `Authorization: Bearer <token>` on every route below it and puts the caller's
/// ``Principal`` in the context; WebSocket upgrades may pass the token as `?access_token=`
/// instead, since browsers cannot set headers on them. Anything wrong answers 401 with
/// `WWW-Authenticate: Bearer` and no detail about what was wrong.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let authenticator: any RequestAuthenticating

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let authorization = Self.credentials(of: request) else {
            throw APIError.unauthorized("a bearer token is required (Authorization: Bearer <token>)")
        }
        let principal: Principal
        do {
            principal = try await authenticator.authenticate(authorization: authorization)
        } catch let error as AccessError where !error.isAuthenticationFailure {
            context.logger.error("authentication unavailable", metadata: ["lr.error": "\(error)"])
            throw APIError.unavailable("credentials cannot be checked right now; try again")
        } catch {
            context.logger.info("authentication refused", metadata: ["lr.reason": "\((error as? AccessError)?.code ?? "\(error)")"])
            throw APIError.unauthorized("the bearer token is not valid")
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "lr.user"] = "\(principal.subject)"
        return try await next(request, context)
    }

    /// The `Authorization` value, or for a WebSocket upgrade `Bearer <access_token>`.
    static func credentials(of request: Request) -> String? {
        if let header = request.headers[.authorization], !header.isEmpty { return header }
        guard request.headers[.upgrade]?.lowercased() == "websocket",
              let token = request.uri.queryParameters["access_token"], !token.isEmpty
        else { return nil }
        return "Bearer \(token)"
    }
}
