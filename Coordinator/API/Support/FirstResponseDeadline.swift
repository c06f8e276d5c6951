import HummingbirdCore
import Logging
import NIOCore

/// Closes a connection that has neither sent a complete first request nor been answered within
/// `deadline` of opening (one that sends nothing, or half a request) with `408 Request Timeout`.
/// Hummingbird's own idle timeout starts only after a first request has been read, so without
/// this idle sockets were held until the process ran out of file descriptors (and died). A
/// complete request lifts the deadline (``FirstRequestWatcher``): serving it may take longer.
/// Wraps the server's real child channel.
///
/// A first request the HTTP parser refuses (a malformed request line or header) is answered
/// `400 Bad Request` at once (``FirstRequestWatcher``): with WebSocket upgrades on, nothing else
/// answers it. Such connections, and those closed at the deadline, are logged at `debug`
/// (``ClientCausedErrorLogHandler``), not as errors.
///
/// It also holds the server to its ``ConnectionBudget``: a connection past it is closed at once,
/// so a flood of connections is refused instead of taking the process's last file descriptors.
struct FirstResponseDeadlineChannel<Inner: ServerChildChannel>: ServerChildChannel {
    let inner: Inner
    let deadline: TimeAmount
    let budget: ConnectionBudget

    /// A connection refused because the server holds as many as it may.
    struct OverBudget: Error {}

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Inner.Value> {
        guard budget.admit(channel) else {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(OverBudget())
        }
        let deadline = deadline
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(FirstResponseDeadlineHandler(deadline: deadline), position: .first)
        }.flatMap {
            inner.setup(channel: channel, logger: logger)
        }.flatMapThrowing { value in
            try channel.pipeline.syncOperations.addHandler(FirstRequestWatcher())
            return value
        }
    }

    func handle(value: Inner.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger.turningDownClientCausedErrors)
    }
}

/// The handler behind ``FirstResponseDeadlineChannel``, first in the pipeline: passes everything
/// through, and answers `408` and closes the channel unless something is written to it, or a
/// complete request read from it, before the deadline.
final class FirstResponseDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let deadline: TimeAmount
    private var timer: Scheduled<Void>?
    private var answered = false
    private var received = false

    init(deadline: TimeAmount) {
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if !answered {
            answered = true
            disarm()
        }
        context.write(data, promise: promise)
    }

    /// A complete first request was read: it is being served, so the deadline no longer applies.
    func requestReceived() {
        received = true
        disarm()
    }

    /// Unless the connection was answered: writes a bodiless `status` response straight to the
    /// socket (nothing else is before this handler) and closes the connection.
    func refuse(_ context: ChannelHandlerContext, status: String) {
        guard !answered else { return }
        answered = true
        disarm()
        let response = "HTTP/1.1 \(status)\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: response))).whenComplete { _ in
            bound.value.close(promise: nil)
        }
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard timer == nil, !answered, !received else { return }
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: deadline) { bound.value.handler.refuse(bound.value.context, status: "408 Request Timeout") }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}
