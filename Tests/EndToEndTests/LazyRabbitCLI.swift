import Foundation
import Testing

/// Runs the built `lazyrabbit` binary as a separate process, the way users do.
///
/// Output goes to files rather than pipes, so a chatty child can never block on a full pipe.
struct LazyRabbitCLI {
    /// The package root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL { root.appendingPathComponent(".build/debug/lazyrabbit") }

    /// The outcome of one run.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// A running `lazyrabbit`, for tests that kill it.
    final class Running {
        let process: Process
        let stdoutFile: URL
        let stderrFile: URL

        init(process: Process, stdoutFile: URL, stderrFile: URL) {
            self.process = process
            self.stdoutFile = stdoutFile
            self.stderrFile = stderrFile
        }

        var stderr: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

        /// `kill -9`, then reap.
        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A scratch directory for one test, removed by the caller with ``cleanUp(_:)``.
    static func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lazyrabbit-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func cleanUp(_ directory: URL) {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts `lazyrabbit ARGS` in the package root without waiting.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        var merged = ProcessInfo.processInfo.environment
        merged["NO_COLOR"] = "1"
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("lazyrabbit-out-\(UUID().uuidString)")
        let stdoutFile = outputs.appendingPathExtension("stdout")
        let stderrFile = outputs.appendingPathExtension("stderr")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, stdoutFile: stdoutFile, stderrFile: stderrFile)
    }

    /// Runs `lazyrabbit ARGS` to completion.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let running = try start(arguments, environment: environment)
        running.process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: running.stdoutFile)
            try? FileManager.default.removeItem(at: running.stderrFile)
        }
        return Result(
            status: running.process.terminationStatus,
            stdout: (try? String(contentsOf: running.stdoutFile, encoding: .utf8)) ?? "",
            stderr: running.stderr)
    }
}
