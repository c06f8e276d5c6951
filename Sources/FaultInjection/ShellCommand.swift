import DriverSupport
import Foundation

/// Runs an administration command (`rabbitmqctl`, `pg_ctlcluster`, …) to its end within a
/// deadline, its output in a scratch file that the error quotes.
enum ShellCommand {
    /// Runs `arguments` (the program is looked up on `PATH`); answers its output, or throws
    /// ``FaultError`` when it fails or outlives `timeout` (it is then killed).
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> String {
        let program = try locate(arguments[0])
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("lrfault-cmd-\(UUID().uuidString.prefix(8)).log").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process = try SpawnedProcess.start([program] + arguments.dropFirst(), environment: environment, outputPath: output)
        let status = await withTaskGroup(of: Int32?.self) { group in
            group.addTask { await process.wait() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next()!
            if first == nil {
                process.signal(SIGKILL)
                _ = await group.next()
            }
            group.cancelAll()
            return first
        }
        let text = process.output
        guard let status else { throw FaultError("`\(arguments.joined(separator: " "))` did not finish within \(timeout)") }
        guard status == 0 else {
            throw FaultError("`\(arguments.joined(separator: " "))` exited with \(status): \(text.suffix(400))")
        }
        return text
    }

    /// `name` if it is a path, else the first executable called `name` on `PATH` or in the sbin directories.
    static func locate(_ name: String) throws -> String {
        if name.hasPrefix("/") { return name }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in path + ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin"] {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw FaultError("cannot find `\(name)` on PATH")
    }
}
