/// The workload of the fault suite as DSL text: an `http` POST to the effect sink, a `parallel`
/// state of `branches` http branches, a durable 300 ms `wait` (an outbox timer row), and a last
/// http POST — every callback retried, so a transient refusal is not mistaken for a lost run.
enum FaultWorkflow {
    static func yaml(name: String, sinkURL: String, branches: Int, slowLastMilliseconds: Int?) -> String {
        let retry = "retry: { max_attempts: 5, backoff: exponential, initial: 1s, max: 5s }"
        func call(_ url: String) -> String { "callback: { type: http, method: POST, url: \"\(url)\" }, timeout: 60s, \(retry)" }
        var text = """
            apiVersion: lazyrabbit/v1
            name: \(name)
            start: first
            states:
              first: { type: task, \(call(sinkURL)), next: fan }
              fan:
                type: parallel
                branches:

            """
        for branch in 1...branches {
            text += """
                      - start: b\(branch)
                        states:
                          b\(branch): { type: task, \(call(sinkURL)), end: true }

                """
        }
        let last = slowLastMilliseconds.map { sinkURL + "?delay_ms=\($0)" } ?? sinkURL
        text += """
                next: pause
              pause: { type: wait, duration: 300ms, next: last }
              last: { type: task, \(call(last)), next: done }
              done: { type: succeed }

            """
        return text
    }
}
