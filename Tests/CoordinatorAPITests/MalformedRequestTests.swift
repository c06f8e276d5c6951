@testable import CoordinatorAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import LocalServers
import Testing
import WorkflowJSON
#if canImport(Glibc)
import Glibc
#endif

/// Requests the HTTP parser refuses, sent over a raw socket: each is answered `400` and its
/// connection closed at once; a connection that never completes a request gets `408` at the
/// first-response deadline, and one that did is answered however long that takes.
@Suite struct MalformedRequestTests {
    /// Sends `request` to 127.0.0.1:`port` and returns everything read until the server closes
    /// the connection (or `timeout` passes). The blocking reads run on a thread of their own, off
    /// the concurrency pool the server's handlers need.
    static func exchange(_ request: String, port: Int, timeout: Duration = .seconds(5)) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try blockingExchange(request, port: port, timeout: timeout) }) }.start()
        }
    }

    private static func blockingExchange(_ request: String, port: Int, timeout: Duration) throws -> String {
        let descriptor = try #require(LoopbackSocket.connect(port: port, receiveTimeout: timeout))
        defer { close(descriptor) }
        _ = Array(request.utf8).withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += chunk.prefix(count)
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test(arguments: [
        "FOO1 / HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "POST /v1/workflows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ada-token\r\nContent-Type: application/yaml\r\n"
            + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        // A malformed request after a good one on the same connection (Hummingbird's own answer).
        "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nFOO1 / HTTP/1.1\r\n\r\n",
    ])
    func unparsableRequestsAre400AndClosed(request: String) async throws {
        // Stopping the test server sometimes waits for the idle timeout after these exchanges
        // (against `lazyrabbit dev`, `ss` shows each connection closed at once): keep it short, but
        // well above what a loaded test run takes to answer (seconds at the start of the unit phase).
        var harness = APITestHarness()
        harness.configuration.server.idleTimeout = .seconds(6)
        try await harness.application().test(.live) { client in
            let port = try #require(client.port)
            let started = ContinuousClock.now
            let answer = try await Self.exchange(request, port: port)
            #expect(answer.hasSuffix("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"), "\(answer)")
            #expect(ContinuousClock.now - started < .seconds(5), "closed at once, not at the 6 s deadline")
        }
    }

    @Test(arguments: [
        "GET /healthz HTTP/1.1\r\nHost: x\r\n",
        "POST /v1/workflows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ada-token\r\nContent-Length: 10\r\n\r\nabc",
    ])
    func aRequestNeverCompletedIs408AtTheDeadline(request: String) async throws {
        var harness = APITestHarness()
        harness.configuration.server.idleTimeout = .milliseconds(500)
        try await harness.application().test(.live) { client in
            let started = ContinuousClock.now
            let answer = try await Self.exchange(request, port: try #require(client.port))
            #expect(answer == "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
            #expect(ContinuousClock.now - started < .seconds(10), "closed at the 0.5 s deadline, not left open")
        }
    }

    /// The deadline is for requests that never complete: a complete one is answered, however long
    /// serving it takes (here a readiness check of 1 s against a 0.5 s deadline).
    @Test func aCompleteRequestIsAnsweredPastTheDeadline() async throws {
        var harness = APITestHarness()
        harness.configuration.server.idleTimeout = .milliseconds(500)
        harness.readiness = ["slow": { try await Task.sleep(for: .seconds(1)) }]
        try await harness.application().test(.live) { client in
            let answer = try await Self.exchange(
                "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", port: try #require(client.port))
            #expect(answer.hasPrefix("HTTP/1.1 200 OK"), "\(answer)")
        }
    }

    @Test func anEmptyPathSegmentNamesNoObject() async throws {
        try await APITestHarness().test { client in
            let empty = try await client.send(.post, "/v1/workflows//executions", json: ["input": [:]])
            #expect(empty.status == .notFound && empty.json.errorCode == "not_found", "\(empty.text)")
            let collapsible = try await client.send(.get, "/v1//workflows")
            #expect(collapsible.status == .notFound, "not served as /v1/workflows: \(collapsible.text)")
            let wrongMethod = try await client.send(.post, "/v1/workflows/some-id")
            #expect(wrongMethod.status == .methodNotAllowed)
        }
    }
}
