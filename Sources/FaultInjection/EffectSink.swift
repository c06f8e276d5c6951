import Foundation
import LocalServers
import Synchronization
import WorkflowJSON

/// The side-effect service of the fault suite: a real local HTTP server that answers every
/// callback after a configurable delay and counts requests by their `Idempotency-Key` header (the
/// task id), so duplicates on the wire — which at-least-once delivery allows — are reported.
public final class EffectSink: Sendable {
    /// Requests per idempotency key (a class so the server's handler can share it).
    private final class Counts: Sendable {
        let byKey = Mutex<[String: Int]>([:])
    }

    private let server: TestHTTPServer
    private let counts = Counts()

    /// A sink answering after `delay`.
    public init(delay: Duration) throws {
        let counts = self.counts
        server = try TestHTTPServer { request in
            let key = request.headers.first { $0.key.lowercased() == "idempotency-key" }?.value ?? "-"
            counts.byKey.withLock { $0[key, default: 0] += 1 }
            return .json(["ok": true], delay: delay)
        }
    }

    /// The URL callbacks should call.
    public var url: String { server.url("/effect") }

    /// Requests received.
    public var requests: Int { counts.byKey.withLock { $0.values.reduce(0, +) } }

    /// Requests beyond the first for each idempotency key.
    public var duplicateRequests: Int { counts.byKey.withLock { $0.values.reduce(0) { $0 + max(0, $1 - 1) } } }

    /// Stops the server.
    public func stop() { server.stop() }
}
