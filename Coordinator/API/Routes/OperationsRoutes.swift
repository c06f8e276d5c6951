import WorkflowProtocol
import WorkflowDrivers
import Hummingbird
import NIOCore
import WorkflowJSON

/// The unauthenticated operational routes: `GET /healthz`, `GET /readyz`, `GET /metrics`,
/// `GET /openapi.json`.
struct OperationsRoutes {
    let readiness: ReadinessChecks
    let metrics: MetricsRegistry

    func add(to router: Router<APIRequestContext>) {
        router.get("healthz") { _, _ in APIJSON.response(status: .ok, json: ["status": "ok"]) }
        router.get("readyz") { _, _ in try await ready() }
        router.get("metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.prometheusText())))
        }
        router.get("openapi.json") { _, _ in APIJSON.response(status: .ok, json: OpenAPIDocument.document) }
    }

    private func ready() async throws -> Response {
        let results = await readiness.run()
        let failed = results.compactMapValues { $0 }
        guard failed.isEmpty else {
            throw APIError(
                .serviceUnavailable, code: "not_ready", "not ready: \(failed.keys.sorted().joined(separator: ", ")) failed",
                details: .object(failed.mapValues(JSONValue.string)))
        }
        return APIJSON.response(status: .ok, json: ["status": "ready", "checks": .object(results.mapValues { _ in "ok" })])
    }
}
