import Foundation
import LocalServers
import Synchronization
import WorkflowJSON

/// The side-effect service of the fault suite: a real local HTTP server that answers every
/// callback after a delay and counts requests by their `Idempotency-Key` header (the task id), so
/// duplicates on the wire — which at-least-once delivery allows — are reported.
///
/// The delay is `delay` unless the request's query says `?delay_ms=N`, so one workflow can mix
/// quick and slow callbacks. Requests are answered on their own threads, so slow ones overlap.
public final class EffectSink: Sendable {
    /// What the sink saw (a class so the server's handler can share it).
    private final class Counts: Sendable {
        let byKey = Mutex<[String: Int]>([:])
        let inFlight = Atomic<Int>(0)
    }

    private let server: TestHTTPServer
    private let counts = Counts()

    /// A sink answering after `delay` (or the request's `delay_ms`).
    public init(delay: Duration) throws {
        let counts = self.counts
        let defaultSeconds = delay / .seconds(1)
        server = try TestHTTPServer { request in
            let key = request.headers.first { $0.key.lowercased() == "idempotency-key" }?.value ?? "-"
            counts.byKey.withLock { $0[key, default: 0] += 1 }
            counts.inFlight.add(1, ordering: .relaxed)
            defer { counts.inFlight.subtract(1, ordering: .relaxed) }
            // Sleep here rather than through the response's delay, so `inFlight` covers the wait.
            let seconds = request.query["delay_ms"].flatMap(Double.init).map { $0 / 1000 } ?? defaultSeconds
            if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
            return .json(["ok": true])
        }
    }

    /// The URL callbacks should call (add `?delay_ms=N` for another delay).
    public var url: String { server.url("/effect") }

    /// Requests received.
    public var requests: Int { counts.byKey.withLock { $0.values.reduce(0, +) } }

    /// Requests being answered right now (callbacks in flight).
    public var inFlight: Int { counts.inFlight.load(ordering: .relaxed) }

    /// Requests beyond the first for each idempotency key.
    public var duplicateRequests: Int { counts.byKey.withLock { $0.values.reduce(0) { $0 + max(0, $1 - 1) } } }

    /// Stops the server.
    public func stop() { server.stop() }
}
