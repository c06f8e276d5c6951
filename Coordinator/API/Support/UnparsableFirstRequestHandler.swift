import NIOCore
import NIOHTTP1

/// Answers `400 Bad Request` to a connection whose first request the HTTP parser refuses (a
/// malformed request line or header), and closes it. While the WebSocket upgrade handler waits
/// for a first request head, Hummingbird's own answer to parser errors is not in the pipeline
/// yet, and the connection used to sit unanswered until the first-response deadline.
///
/// Last in the pipeline while the first request is read: the parser's error passes through it
/// (nothing before handles it); the first request part that arrives means the request was
/// parsed, and the handler removes itself.
final class UnparsableFirstRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError,
           let first = try? context.pipeline.syncOperations.context(handlerType: FirstResponseDeadlineHandler.self),
           let deadline = first.handler as? FirstResponseDeadlineHandler {
            deadline.refuse(first, status: "400 Bad Request")
        }
        context.fireErrorCaught(error)
    }
}
