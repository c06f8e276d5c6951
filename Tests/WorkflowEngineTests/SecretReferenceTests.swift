import Foundation
import Testing
import WorkflowDSL
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

/// A worker replaces every `${secret.NAME}` in a callback with the secret: only the workflow may
/// write one. A reference that arrives through the execution's data fails the state instead.
@Suite struct SecretReferenceTests {
    static let notify = """
        apiVersion: lazyrabbit/v1
        name: notify
        start: call
        states:
          call:
            type: task
            callback:
              type: http
              method: POST
              url: "https://api.example.com/notes"
              headers: { Authorization: "Bearer ${secret.API_TOKEN}" }
              body: { note: "${input.note}", copy: "${input}" }
            next: done
          done: { type: succeed }
        """

    @Test func aSecretTheWorkflowWritesReachesTheWorkerAsAReference() throws {
        let simulation = try Simulation(Self.notify, input: ["note": "hello ${name}"], respond: { _ in nil })
        guard case .http(let http)? = simulation.queued.first?.callback else {
            Issue.record("expected an http task, got \(simulation.queued)")
            return
        }
        #expect(http.headers["Authorization"] == "Bearer ${secret.API_TOKEN}")
        #expect(http.body?["note"] == "hello ${name}", "other `${` text in data passes")
    }

    @Test(arguments: ["${secret.API_TOKEN}", "${secret.DB_PASSWORD}", "see ${secret.X} here"])
    func aSecretReferenceInTheDataFailsTheState(note: String) throws {
        let simulation = try Simulation(Self.notify, input: ["note": .string(note)], respond: { _ in nil })
        #expect(simulation.queued.isEmpty, "nothing is dispatched")
        #expect(simulation.instance.status == .failed)
        #expect(simulation.instance.error?.errorClass == "secret_in_data")
    }

    @Test func aHandlerGivenTheWholeContextIsCheckedToo() throws {
        let simulation = try Simulation("""
            apiVersion: lazyrabbit/v1
            name: echo-all
            start: keep
            states:
              keep: { type: pass, result: "${input.nested}", output: kept, next: echo }
              echo: { type: task, callback: { type: handler, name: echo }, next: done }
              done: { type: succeed }
            """, input: ["nested": ["deep": "${secret.API_TOKEN}"]], respond: { _ in nil })
        #expect(simulation.instance.error?.errorClass == "secret_in_data", "\(simulation.transitions.map(\.kind))")
    }
}
