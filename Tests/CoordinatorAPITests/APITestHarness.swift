@testable import CoordinatorAPI
import AccessControl
import Foundation
import Hummingbird
import HummingbirdTesting
import Intelligence
import LazyRabbitCoordinator
import NIOCore
import Testing
import WorkflowDrivers
import WorkflowEngine
import WorkflowJSON

/// Carries out nothing: executions stay where their first step left them (RUNNING).
struct IdlePerformer: EffectPerformer {
    func perform(_ effects: [EngineEffect], for instance: ExecutionInstance, staged: [OutboxMessage]) async {}
}

/// An API over in-memory backends, with four callers: operators `ada` and `bob`, viewer `vic`, admin `root`.
struct APITestHarness {
    static let ada = "Bearer ada-token"
    static let bob = "Bearer bob-token"
    static let viewer = "Bearer vic-token"
    static let admin = "Bearer root-token"

    static let greet = """
        apiVersion: lazyrabbit/v1
        name: greet
        start: hello
        states:
          hello:
            type: task
            callback: { type: handler, name: echo }
            next: done
          done:
            type: succeed
        """

    let store = InMemoryExecutionStore()
    let workflows = InMemoryWorkflowRepository()
    let notifier = TransitionNotifier()
    let metrics = MetricsRegistry()
    let controlPlane: ControlPlane
    var configuration = APIConfiguration(server: .init(host: "127.0.0.1", port: 0))
    var rateLimiter: (any RateLimiting)? = nil
    var readiness: [String: @Sendable () async throws -> Void] = [:]
    var drafter: WorkflowDrafter?

    init(quotas: UserQuotas = UserQuotas()) {
        let notifier = self.notifier
        let coordinator = ExecutionCoordinator(store: store, performer: IdlePerformer(), observer: { _, transitions in notifier.committed(transitions) })
        controlPlane = ControlPlane(coordinator: coordinator, store: store, workflows: workflows, quotas: quotas)
    }

    static let authenticator = StaticTokenAuthenticator([
        "ada-token": Principal(subject: "ada", role: .operator, credential: .apiToken(id: "t-ada")),
        "bob-token": Principal(subject: "bob", role: .operator, credential: .jwt),
        "vic-token": Principal(subject: "vic", role: .viewer, credential: .jwt),
        "root-token": Principal(subject: "root", role: .admin, credential: .jwt),
    ])

    func application() -> some ApplicationProtocol {
        buildCoordinatorApplication(
            configuration: configuration, controlPlane: controlPlane, authenticator: Self.authenticator, rateLimiter: rateLimiter,
            readiness: readiness, metrics: metrics, streamNotifier: notifier, drafter: drafter)
    }

    func router() -> Router<APIRequestContext> {
        buildCoordinatorRouter(
            configuration: configuration, controlPlane: controlPlane, authenticator: Self.authenticator, rateLimiter: rateLimiter,
            readiness: readiness, metrics: metrics, streamNotifier: notifier, drafter: drafter)
    }

    /// Runs `body` against the application in the router test framework.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await application().test(.router) { client in try await body(client) }
    }
}

extension TestClientProtocol {
    /// Sends a request and returns the status, headers and the body as JSON (`null` when empty or not JSON).
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, as authorization: String? = APITestHarness.ada, json: JSONValue? = nil,
        text: String? = nil, contentType: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, json: JSONValue, text: String) {
        var headers = extra
        if let authorization { headers[.authorization] = authorization }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(string: json.encodedString())
            headers[.contentType] = "application/json"
        } else if let text {
            body = ByteBuffer(string: text)
        }
        if let contentType { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            let text = String(buffer: response.body)
            return (response.status, response.headers, (try? JSONValue(jsonString: text)) ?? .null, text)
        }
    }

    /// Creates `greet` (or `source`) as `authorization` and returns its id.
    func createWorkflow(_ source: String = APITestHarness.greet, as authorization: String = APITestHarness.ada) async throws -> String {
        let response = try await send(.post, "/v1/workflows", as: authorization, text: source, contentType: "application/yaml")
        #expect(response.status == .created, "\(response.text)")
        return try #require(response.json["id"]?.stringValue)
    }

    /// Starts a run of `workflowID` and returns the execution's id.
    func startExecution(_ workflowID: String, as authorization: String = APITestHarness.ada, input: JSONValue = ["name": "Ada"]) async throws -> String {
        let response = try await send(.post, "/v1/workflows/\(workflowID)/executions", as: authorization, json: ["input": input])
        #expect(response.status == .created, "\(response.text)")
        return try #require(response.json["id"]?.stringValue)
    }
}

extension JSONValue {
    /// The `error.code` of an error body.
    var errorCode: String? { self["error"]?["code"]?.stringValue }
}
