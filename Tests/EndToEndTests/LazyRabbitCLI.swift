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
    ///
    /// Waiting never blocks a thread: tests share Swift's small cooperative pool, and a blocked
    /// thread there would stall every other suite's timing.
    final class Running {
        let process: Process
        let stdoutFile: URL
        let stderrFile: URL
        private let exits: AsyncStream<Int32>

        init(process: Process, stdoutFile: URL, stderrFile: URL, exits: AsyncStream<Int32>) {
            self.process = process
            self.stdoutFile = stdoutFile
            self.stderrFile = stderrFile
            self.exits = exits
        }

        /// The output files go with the object: nothing is left in the temporary directory.
        deinit {
            try? FileManager.default.removeItem(at: stdoutFile)
            try? FileManager.default.removeItem(at: stderrFile)
        }

        var stderr: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

        /// Waits for the process to end and returns its exit status.
        func exitStatus() async -> Int32 {
            for await status in exits { return status }
            return process.terminationStatus
        }

        /// `kill -9`, then reap.
        func kill() async {
            Foundation.kill(process.processIdentifier, SIGKILL)
            _ = await exitStatus()
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

    /// Starts `lazyrabbit ARGS` (or another built program) in the package root without waiting.
    static func start(_ arguments: [String], environment: [String: String] = [:], executable: URL? = nil) throws -> Running {
        let process = Process()
        process.executableURL = executable ?? binary
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
        let (exits, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            continuation.yield(finished.terminationStatus)
            continuation.finish()
        }
        try process.run()
        return Running(process: process, stdoutFile: stdoutFile, stderrFile: stderrFile, exits: exits)
    }

    /// Runs `lazyrabbit ARGS` to completion.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        let running = try start(arguments, environment: environment)
        let status = await running.exitStatus()
        return Result(
            status: status,
            stdout: (try? String(contentsOf: running.stdoutFile, encoding: .utf8)) ?? "",
            stderr: running.stderr)
    }
}
