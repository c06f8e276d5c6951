import Foundation
import Testing

/// The reduced, CI-sized fault suite: runs the built `lazyrabbit faults` binary against the local
/// servers with the quick faults that restart nothing shared (no broker, PostgreSQL or Redis
/// disturbance), ~30 executions each, and checks that every guarantee held.
@Suite(.serialized) struct FaultSuiteTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var binary: String { root.appendingPathComponent(".build/debug/lazyrabbit").path }

    @Test(.timeLimit(.minutes(6)))
    func quickFaultsLoseNothingAndApplyNothingTwice() async throws {
        let faults = ["worker-kill", "coordinator-kill", "two-coordinators", "duplicate-publish", "poison-message"]
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("lrfault-ci-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["faults", "--executions", "30", "--drain-timeout", "90", "--json"] + faults.flatMap { ["--fault", $0] }
        process.currentDirectoryURL = Self.root
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        let (exits, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            continuation.yield(finished.terminationStatus)
            continuation.finish()
        }
        try process.run()
        var status: Int32 = -1
        for await code in exits { status = code }

        let data = try Data(contentsOf: output)
        let results = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]], "\(String(decoding: data, as: UTF8.self))")
        #expect(results.count == faults.count)
        for result in results {
            let name = result["fault"] as? String ?? "?"
            let invariants = result["invariants"] as? [String: Any] ?? [:]
            #expect((invariants["lost"] as? [Any])?.isEmpty == true, "\(name): lost executions \(invariants["lost"] ?? "-")")
            #expect((invariants["duplicateTransitions"] as? [Any])?.isEmpty == true, "\(name): \(invariants["duplicateTransitions"] ?? "-")")
            #expect((invariants["duplicateEffects"] as? [Any])?.isEmpty == true, "\(name): \(invariants["duplicateEffects"] ?? "-")")
            #expect(result["passed"] as? Bool == true, "\(name) failed: \(result["error"] ?? "see its logs in \(result["logDirectory"] ?? "?")")")
        }
        #expect(status == 0, "lazyrabbit faults exited with \(status)")
    }
}
