import Foundation
import LazyRabbitWorker
import Testing
import WorkflowDSL
import WorkflowJSON
import WorkflowProtocol

/// The address check on what DNS returns, with a transport whose resolver lies the way a
/// rebinding attacker's DNS would.
@Suite struct CallTimeAddressCheckTests {
    /// Resolves every name to `addresses` and keeps the names it was asked for and the requests
    /// it was asked to send.
    final class RebindingTransport: HTTPTransport, @unchecked Sendable {
        // @unchecked: `sent` and `asked` are only touched with `lock` held.
        let addresses: [String]
        private let lock = NSLock()
        private var sent: [HTTPCallRequest] = []
        private var asked: [String] = []

        init(addresses: [String]) { self.addresses = addresses }

        func resolve(host: String, port: Int) async throws(TaskFailure) -> [String] {
            lock.withLock { asked.append(host) }
            return addresses
        }

        var resolvedHosts: [String] { lock.withLock { asked } }

        func send(_ request: HTTPCallRequest) async throws(TaskFailure) -> HTTPCallResponse {
            lock.withLock { sent.append(request) }
            return HTTPCallResponse(status: 200, headers: [:], body: Data())
        }

        var requests: [HTTPCallRequest] { lock.withLock { sent } }
    }

    @Test(arguments: ["10.0.0.5", "169.254.169.254", "127.0.0.1", "::1", "fd00:ec2::254"])
    func aPublicNameThatResolvesToAPrivateAddressIsRefused(address: String) async {
        let transport = RebindingTransport(addresses: ["93.184.216.34", address])
        let runner = HTTPCallbackRunner(transport: transport, policy: AddressPolicy())
        do {
            _ = try await runner.run(HTTPCallback(url: "https://api.example.com/orders"), secrets: .fixed([:]))
            Issue.record("\(address) went through")
        } catch {
            #expect(error.errorClass == "blocked_address")
        }
        #expect(transport.requests.isEmpty, "nothing was sent")
    }

    /// `http://[::1]:8080/` names the address `::1`: resolving the bracketed form failed every call.
    @Test func anIPv6LiteralIsResolvedWithoutItsBrackets() async throws {
        let transport = RebindingTransport(addresses: ["::1"])
        let runner = HTTPCallbackRunner(transport: transport, policy: AddressPolicy(allowList: ["::1"]))
        _ = try await runner.run(HTTPCallback(url: "http://[::1]:8080/orders"), secrets: .fixed([:]))
        #expect(transport.resolvedHosts == ["::1"])
        #expect(transport.requests.first?.url == "http://[::1]:8080/orders")
    }

    @Test func theConnectionIsPinnedToTheAddressesThatWereChecked() async throws {
        let transport = RebindingTransport(addresses: ["93.184.216.34"])
        let runner = HTTPCallbackRunner(transport: transport, policy: AddressPolicy())
        _ = try await runner.run(HTTPCallback(url: "https://api.example.com/orders"), secrets: .fixed([:]))
        #expect(transport.requests.first?.connectTo == ["93.184.216.34"])
    }
}
