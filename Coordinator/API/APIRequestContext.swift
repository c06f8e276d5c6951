public import AccessControl
import Foundation
public import Hummingbird
public import HummingbirdWebSocket
import LazyRabbitCoordinator

/// The request context of every API route: Hummingbird's core storage, the WebSocket upgrade
/// slot, the authenticated ``Principal`` (set by the authentication middleware on `/v1`) and the
/// body limit in force (set from ``APIConfiguration/Limits``).
public struct APIRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<APIRequestContext>
    /// Who is calling; `nil` outside `/v1` (health, metrics, the OpenAPI document).
    public var principal: Principal?
    /// The largest request body accepted, in bytes.
    public var maxUploadSize: Int

    /// A context for a new request.
    public init(source: Source) {
        coreContext = CoreRequestContextStorage(source: source)
        webSocket = WebSocketHandlerReference()
        principal = nil
        maxUploadSize = APIConfiguration.Limits().bodyBytes
    }

    /// The path parameter `name`, percent-decoded: ids of children of map iterations hold `[` and
    /// `]`, which clients send as `%5B` and `%5D`.
    ///
    /// - Throws: 400 when the parameter is not valid percent-encoded UTF-8.
    func pathParameter(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        guard let decoded = raw.removingPercentEncoding else {
            throw APIError.badRequest("the path parameter `\(name)` is not valid percent-encoded UTF-8")
        }
        return decoded
    }

    /// The control-plane requester for the caller, if their role grants `permission`.
    ///
    /// - Throws: 401 when nobody is authenticated, 403 when the role lacks `permission`.
    func requester(_ permission: Permission) throws -> Requester {
        guard let principal else { throw APIError.unauthorized("a bearer token is required") }
        guard principal.can(permission) else {
            throw APIError.forbidden("role `\(principal.role.rawValue)` may not \(permission.summary)")
        }
        return Requester(user: principal.subject, seesEveryone: principal.can(.seeAllUsers))
    }
}
