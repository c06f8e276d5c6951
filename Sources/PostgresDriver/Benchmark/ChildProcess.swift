import DriverSupport
import Foundation

/// Runs a program to completion and captures its output (through ``SpawnedProcess``).
enum ChildProcess {
    struct Outcome: Sendable {
        var status: Int32
        var output: String
    }

    /// Runs `arguments[0]` (an absolute path) with `arguments`, adding `environment` to this process's.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async -> Outcome {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("lr-child-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        do {
            let process = try SpawnedProcess.start(arguments, environment: environment, outputPath: outputPath)
            let status = await process.wait()
            return Outcome(status: status, output: process.output)
        } catch {
            return Outcome(status: -1, output: "\(error)")
        }
    }
}
