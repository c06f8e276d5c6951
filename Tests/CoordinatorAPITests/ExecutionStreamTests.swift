@testable import CoordinatorAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import Synchronization
import Testing
import WorkflowJSON

@Suite struct ExecutionStreamTests {
    /// Reads text messages until the server closes; returns the sequences received.
    static func sequences(
        _ client: any TestClientProtocol, _ path: String, headers: HTTPFields = [:], whenConnected: @escaping @Sendable () async throws -> Void = {}
    ) async throws -> [Int] {
        let received = Mutex<[Int]>([])
        try await client.ws(path, configuration: .init(additionalHeaders: headers)) { inbound, _, _ in
            try await whenConnected()
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message else { continue }
                let transition = try JSONValue(jsonString: text)
                let sequence = Int(transition["sequence"]?.doubleValue ?? -1)
                received.withLock { $0.append(sequence) }
            }
        }
        return received.withLock { $0 }
    }

    @Test func streamsInOrderAndResumesAfterASequence() async throws {
        var harness = APITestHarness()
        harness.configuration.stream.pollInterval = .milliseconds(50)
        try await harness.application().test(.live) { client in
            let id = try await client.startExecution(try await client.createWorkflow())
            try await client.send(.post, "/v1/executions/\(id)/pause")
            let before = try #require(try await client.send(.get, "/v1/executions/\(id)").json["sequence"]?.doubleValue)

            // Connected with the token in the query; the run ends while the stream is open.
            let first = try await Self.sequences(client, "/v1/executions/\(id)/stream?after=0&access_token=ada-token") {
                try await client.send(.post, "/v1/executions/\(id)/resume")
                try await client.send(.post, "/v1/executions/\(id)/cancel")
            }
            let final = try #require(try await client.send(.get, "/v1/executions/\(id)").json["sequence"]?.doubleValue)
            #expect(first == Array(1...Int(final)), "every transition once, in order, then closed")
            #expect(Int(final) > Int(before))

            var headers = HTTPFields()
            headers[.authorization] = APITestHarness.ada
            let resumed = try await Self.sequences(client, "/v1/executions/\(id)/stream?after=\(Int(before))", headers: headers)
            #expect(resumed == Array((Int(before) + 1)...Int(final)))
        }
    }

    @Test func aStreamNeedsAVisibleExecutionAndAToken() async throws {
        try await APITestHarness().application().test(.live) { client in
            let id = try await client.startExecution(try await client.createWorkflow())
            await #expect(throws: (any Error).self) {
                try await client.ws("/v1/executions/\(id)/stream?access_token=bob-token") { _, _, _ in }
            }
            await #expect(throws: (any Error).self) {
                try await client.ws("/v1/executions/\(id)/stream") { _, _, _ in }
            }
            let plain = try await client.send(.get, "/v1/executions/\(id)/stream")
            #expect(plain.status == .upgradeRequired)
        }
    }
}
