import AccessControl
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The fault suite's client of a real coordinator's REST API (docs/api.md), over HTTP with
/// URLSession: an operator's HS256 JWT, the workflow, executions and `/readyz`.
struct CoordinatorClient: Sendable {
    /// What one `POST /v1/workflows/{id}/executions` answered.
    enum Submission: Sendable {
        /// 201: the execution id the API accepted.
        case accepted(String)
        /// 429: try again after this long.
        case rateLimited(Duration)
        /// Anything else (connection refused, 5xx, timeout): not accepted.
        case refused(String)
    }

    let token: String
    private let session: URLSession

    /// A client whose requests carry an operator JWT signed with `secret`, valid for a day.
    init(secret: String, subject: String = "fault-suite") throws {
        let signer = try JWTSigner.hs256(secret: Array(secret.utf8))
        token = try signer.sign(JWTClaims(subject: subject, role: .operator, expiresAt: Date() + 86_400, issuedAt: Date()))
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        configuration.timeoutIntervalForResource = 15
        session = URLSession(configuration: configuration)
    }

    /// Whether `GET /readyz` answers 200.
    func isReady(_ baseURL: String) async -> Bool {
        guard let (_, response) = try? await session.data(for: URLRequest(url: URL(string: baseURL + "/readyz")!)) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    /// `POST /v1/workflows` with the YAML text; answers the workflow id.
    func createWorkflow(_ yaml: String, at baseURL: String) async throws -> String {
        var request = authorized(baseURL + "/v1/workflows", method: "POST")
        request.setValue("application/yaml", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(yaml.utf8)
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 201, let id = Self.id(in: data) else {
            throw FaultError("POST /v1/workflows answered \(status): \(String(decoding: data.prefix(600), as: UTF8.self))")
        }
        return id
    }

    /// `POST /v1/workflows/{id}/executions` with an empty input.
    func startExecution(of workflowID: String, at baseURL: String) async -> Submission {
        var request = authorized(baseURL + "/v1/workflows/\(workflowID)/executions", method: "POST")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"input": {}}"#.utf8)
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            return .refused("\(error.localizedDescription)")
        }
        let http = response as? HTTPURLResponse
        switch http?.statusCode {
        case 201:
            guard let id = Self.id(in: data) else { return .refused("201 without an id") }
            return .accepted(id)
        case 429:
            let seconds = http?.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init) ?? 1
            return .rateLimited(.milliseconds(Int(max(0.1, seconds) * 1000)))
        case let status:
            return .refused("HTTP \(status.map(String.init) ?? "?"): \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
    }

    private func authorized(_ url: String, method: String) -> URLRequest {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        return request
    }

    private static func id(in data: Data) -> String? {
        (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["id"] as? String
    }
}
