import NIOCore
import NIOHTTP1

/// Watches a connection's first request for ``FirstResponseDeadlineChannel``, last in the
/// pipeline while it is read:
///
/// - once the request is complete (its `end` passes), the first-response deadline is lifted: the
///   request is being served, and an answer that takes longer than the deadline is still an
///   answer (the deadline is for connections that send nothing, or half a request);
/// - a request whose head the HTTP parser refuses (a malformed request line or header) is
///   answered `400 Bad Request` and the connection closed: while the WebSocket upgrade handler
///   waits for a first request head, Hummingbird's own answer to parser errors is not in the
///   pipeline yet, and nothing else would answer it. (A malformed body, after the head, is
///   Hummingbird's to answer.)
///
/// It removes itself after the first request, or at the first data that is not an HTTP request
/// part (a WebSocket's bytes, after an upgrade).
final class FirstRequestWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart

    /// Whether the first request's head went by: from then on Hummingbird answers parser errors.
    private var headRead = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let watched: Bool
        switch context.channel._channelCore.tryUnwrapData(data, as: HTTPServerRequestPart.self) {
        case .end:
            deadline(context)?.handler.requestReceived()
            watched = true
        case .head, .body:
            headRead = true
            watched = false
        case nil:
            watched = true  // not HTTP: a WebSocket's bytes
        }
        context.fireChannelRead(data)
        if watched { context.pipeline.syncOperations.removeHandler(context: context, promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError, !headRead, let deadline = deadline(context) {
            deadline.handler.refuse(deadline.context, status: "400 Bad Request")
        }
        context.fireErrorCaught(error)
    }

    /// The connection's ``FirstResponseDeadlineHandler`` and its context.
    private func deadline(_ context: ChannelHandlerContext) -> (handler: FirstResponseDeadlineHandler, context: ChannelHandlerContext)? {
        guard let first = try? context.pipeline.syncOperations.context(handlerType: FirstResponseDeadlineHandler.self),
              let handler = first.handler as? FirstResponseDeadlineHandler
        else { return nil }
        return (handler, first)
    }
}
