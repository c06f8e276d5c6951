import AccessControl
import WorkflowJSON
import WorkflowDrivers
import Foundation
import Hummingbird
import HummingbirdWebSocket
import LazyRabbitCoordinator
import NIOWebSocket
import WorkflowProtocol

/// `GET /v1/executions/{id}/stream?after=N` (WebSocket): sends every transition after sequence
/// `N` as one JSON text message, in order, as it is persisted, then closes normally once the
/// execution is terminal and everything was sent. A client that reconnects with the last
/// `sequence` it saw misses nothing and gets nothing twice.
///
/// New transitions are found by polling the control plane (they may be committed by another
/// coordinator replica), and sooner when the ``TransitionNotifier`` fires. Streams are counted
/// against an ``InFlightQuota``: past it the socket is closed at once with 1013 (try again later)
/// and the reason, before anything is sent.
struct ExecutionStreamRoute {
    /// WebSocket close code 1013, "Try Again Later" (IANA registry; NIO has no name for it).
    static let tryAgainLater = WebSocketErrorCode(codeNumber: 1013)

    let controlPlane: ControlPlane
    let notifier: TransitionNotifier?
    let pollInterval: Duration
    let quota: InFlightQuota

    func add(to v1: RouterGroup<APIRequestContext>) {
        v1.ws("executions/{id}/stream") { request, context in
            let requester = try context.requester(.readExecutions)
            _ = try await controlPlane.execution(id: try context.pathParameter("id"), by: requester)
            _ = try ExecutionRoutes.afterParameter(request)
            guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                throw APIError(.upgradeRequired, code: "upgrade_required", "this endpoint streams over a WebSocket: send Upgrade: websocket")
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let requester = try context.requestContext.requester(.readExecutions)
            let id = try context.requestContext.pathParameter("id")
            let after = try ExecutionRoutes.afterParameter(context.request)
            let claim: InFlightQuota.Claim
            do throws(InFlightQuota.Refusal) {
                claim = try quota.claim(for: requester.user)
            } catch {
                try await outbound.close(Self.tryAgainLater, reason: error.description)
                return
            }
            defer { claim.release() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                let (wakeUps, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
                notifier?.subscribe(executionID: id, continuation)
                // The client closing ends the inbound sequence: stop streaming then.
                group.addTask { for try await _ in inbound {} }
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: pollInterval)
                        continuation.yield()
                    }
                }
                group.addTask {
                    defer { continuation.finish() }
                    try await stream(executionID: id, after: after, by: requester, wakeUps: wakeUps) { transition in
                        let data = try APIJSON.encoder().encode(TransitionRepresentation(record: transition))
                        try await outbound.write(.text(String(decoding: data, as: UTF8.self)))
                    }
                    // Start the closing handshake here: the inbound reader above does not end on
                    // cancellation, only when the client answers the close (or goes away), and
                    // the group waits for it.
                    try await outbound.close(.normalClosure, reason: "the execution has finished")
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Sends transitions after `after` through `send` until the execution is terminal and fully sent.
    private func stream(
        executionID: String, after: Int, by requester: Requester, wakeUps: AsyncStream<Void>,
        send: (TransitionRecord) async throws -> Void
    ) async throws {
        var sent = after
        var wakeUps = wakeUps.makeAsyncIterator()
        while !Task.isCancelled {
            // Read the status first: once it is terminal, no transition after `record.sequence` can appear.
            let record = try await controlPlane.execution(id: executionID, by: requester)
            for transition in try await controlPlane.transitions(executionID: executionID, after: sent, by: requester) {
                try await send(transition)
                sent = transition.sequence
            }
            if record.status.isTerminal, sent >= record.sequence { return }
            guard await wakeUps.next() != nil else { return }
        }
    }
}
