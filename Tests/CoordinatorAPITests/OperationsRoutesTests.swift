@testable import CoordinatorAPI
import Hummingbird
import HummingbirdTesting
import Testing
import WorkflowJSON

@Suite struct OperationsRoutesTests {
    struct Down: Error, CustomStringConvertible {
        var description: String { "connection refused" }
    }

    @Test func healthIsAlwaysOkAndReadinessNamesFailedChecks() async throws {
        var harness = APITestHarness()
        harness.configuration.readiness.timeout = .milliseconds(200)
        harness.readiness = [
            "postgres": {},
            "rabbitmq": { throw Down() },
            "redis": { try await Task.sleep(for: .seconds(30)) },
        ]
        try await harness.test { client in
            #expect(try await client.send(.get, "/healthz", as: nil).status == .ok)
            let ready = try await client.send(.get, "/readyz", as: nil)
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.json.errorCode == "not_ready")
            #expect(ready.json["error"]?["details"]?["rabbitmq"] == "connection refused")
            #expect(ready.json["error"]?["details"]?["redis"]?.stringValue?.contains("timed out") == true)
            #expect(ready.json["error"]?["details"]?["postgres"] == nil)
        }
        harness.readiness = ["postgres": {}]
        try await harness.test { client in
            let ready = try await client.send(.get, "/readyz", as: nil)
            #expect(ready.status == .ok)
            #expect(ready.json["checks"]?["postgres"] == "ok")
        }
    }

    @Test func metricsCountRequestsByRouteTemplate() async throws {
        let harness = APITestHarness()
        let applied = harness.metrics.counter("lazyrabbit_transitions_applied_total", help: "Transitions persisted.")
        applied.increment(by: 3)
        try await harness.test { client in
            let id = try await client.createWorkflow()
            try await client.send(.get, "/v1/workflows/\(id)")
            try await client.send(.get, "/v1/workflows/\(id)", as: nil)
            let metrics = try await client.send(.get, "/metrics", as: nil)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains(#"lazyrabbit_http_requests_total{method="GET",route="/v1/workflows/{id}",status="200"} 1"#), "\(metrics.text)")
            #expect(metrics.text.contains(#"lazyrabbit_http_requests_total{method="GET",route="/v1/workflows/{id}",status="401"} 1"#))
            #expect(metrics.text.contains(#"lazyrabbit_http_requests_total{method="POST",route="/v1/workflows",status="201"} 1"#))
            #expect(metrics.text.contains("# TYPE lazyrabbit_http_request_duration_seconds histogram"))
            #expect(metrics.text.contains(#"lazyrabbit_http_request_duration_seconds_bucket{method="POST",route="/v1/workflows",le="+Inf"} 1"#))
            #expect(metrics.text.contains("lazyrabbit_transitions_applied_total 3"))
        }
    }

    @Test func prometheusTextEscapesLabelsAndRendersGauges() {
        let registry = MetricsRegistry()
        registry.gauge("lazyrabbit_queue_depth", help: "Depth.").set(7, labels: ["queue": "a\"b"])
        #expect(registry.prometheusText() == """
            # HELP lazyrabbit_queue_depth Depth.
            # TYPE lazyrabbit_queue_depth gauge
            lazyrabbit_queue_depth{queue="a\\"b"} 7

            """)
    }
}
