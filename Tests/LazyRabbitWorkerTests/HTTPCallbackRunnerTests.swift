import Foundation
import LazyRabbitWorker
import Testing
import LocalServers
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

/// `http` callbacks through libcurl against a real local server.
@Suite struct HTTPCallbackRunnerTests {
    static func runner(allow: [String] = ["127.0.0.1"]) -> HTTPCallbackRunner {
        HTTPCallbackRunner(transport: CurlTransport(), policy: AddressPolicy(allowList: allow))
    }

    @Test func postsJSONWithSecretsAndParsesTheJSONAnswer() async throws {
        let server = try TestHTTPServer { request in
            .json(["echo": .string(request.text), "auth": .string(request.headers["authorization"] ?? ""), "q": .string(request.query["page"] ?? "")])
        }
        defer { server.stop() }
        let call = HTTPCallback(
            method: "post", url: server.url("/customers"), headers: ["Authorization": "Bearer ${secret.CRM}"],
            query: ["page": "2"], body: ["email": "a@b.c"])
        let result = try await Self.runner().run(call, secrets: .fixed(["CRM": "s3cr3t"]))
        #expect(result["status"] == .integer(200))
        #expect(result.value(atPath: "body.auth") == "Bearer s3cr3t")
        #expect(result.value(atPath: "body.q") == "2")
        #expect(try JSONValue(jsonString: result.value(atPath: "body.echo")?.stringValue ?? "") == ["email": "a@b.c"])
        #expect(server.lastRequest(path: "/customers")?.method == "POST")
    }

    @Test(arguments: [(404, "http_4xx"), (429, "http_429"), (503, "http_5xx")])
    func errorStatusesAreClassified(status: Int, errorClass: String) async throws {
        let server = try TestHTTPServer { _ in .text("no", status: status) }
        defer { server.stop() }
        do {
            _ = try await Self.runner().run(HTTPCallback(url: server.url("/x")), secrets: .fixed([:]))
            Issue.record("HTTP \(status) should fail")
        } catch {
            #expect(error.errorClass == errorClass)
            #expect(error.details?["status"] == .integer(status))
        }
    }

    /// A service's `Retry-After` travels with the failure, so the engine waits at least that long.
    @Test func retryAfterIsKeptWithTheFailure() async throws {
        let server = try TestHTTPServer { _ in
            var response = TestHTTPResponse.text("slow down", status: 429)
            response.headers["Retry-After"] = "7"
            return response
        }
        defer { server.stop() }
        do {
            _ = try await Self.runner().run(HTTPCallback(url: server.url("/x")), secrets: .fixed([:]))
            Issue.record("HTTP 429 should fail")
        } catch {
            #expect(error.retryAfterMilliseconds == 7_000)
        }
    }

    @Test func aNameThatResolvesToLoopbackIsRefusedAtCallTime() async throws {
        let server = try TestHTTPServer { _ in .text("should not be reached") }
        defer { server.stop() }
        let call = HTTPCallback(url: "http://localhost:\(server.port)/secret")
        do {
            _ = try await Self.runner(allow: []).run(call, secrets: .fixed([:]))
            Issue.record("a loopback call went through")
        } catch {
            #expect(error.errorClass == "blocked_address")
        }
        #expect(server.requestCount(path: "/secret") == 0)
    }

    @Test func nonHTTPSchemesAreRefused() async {
        do {
            _ = try await Self.runner().run(HTTPCallback(url: "file:///etc/passwd"), secrets: .fixed([:]))
            Issue.record("a file URL went through")
        } catch {
            #expect(["blocked_address", "invalid_callback"].contains(error.errorClass))
        }
    }

    @Test func aRefusedConnectionIsAConnectionError() async throws {
        let server = try TestHTTPServer { _ in .text("") }
        let port = server.port
        server.stop()
        do {
            _ = try await Self.runner().run(HTTPCallback(url: "http://127.0.0.1:\(port)/"), secrets: .fixed([:]))
            Issue.record("expected a connection error")
        } catch {
            #expect(error.errorClass == "connection")
        }
    }
}
