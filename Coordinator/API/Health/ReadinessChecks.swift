/// Named checks that must all pass for the coordinator to take traffic (`GET /readyz`): each
/// runs concurrently and fails if it throws or outlasts the timeout. Checks should honour task
/// cancellation, which is how a timed-out one is stopped.
struct ReadinessChecks: Sendable {
    /// A check failed or timed out.
    struct TimedOut: Error, CustomStringConvertible {
        var description: String { "timed out" }
    }

    let checks: [String: @Sendable () async throws -> Void]
    let timeout: Duration

    /// Each check's failure (`nil` when it passed), by name.
    func run() async -> [String: String?] {
        await withTaskGroup(of: (String, String?).self) { group in
            for (name, check) in checks {
                group.addTask { (name, await Self.outcome(of: check, within: timeout)) }
            }
            var results: [String: String?] = [:]
            for await (name, failure) in group { results[name] = failure }
            return results
        }
    }

    private static func outcome(of check: @escaping @Sendable () async throws -> Void, within timeout: Duration) async -> String? {
        await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do {
                    try await check()
                    return nil
                } catch {
                    return String(describing: error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled ? nil : "timed out after \(timeout)"
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
