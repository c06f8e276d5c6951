import Foundation

/// Runs a program to completion and captures its output, with `posix_spawn` and an empty signal
/// mask (Foundation's `Process` inherits a mask that blocks SIGTERM under `swift test` and can
/// hang in `waitUntilExit`). The wait happens on a thread of its own, off the cooperative pool.
enum ChildProcess {
    struct Outcome: Sendable {
        var status: Int32
        var output: String
    }

    /// Runs `arguments[0]` (an absolute path) with `arguments`, adding `environment` to this process's.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async -> Outcome {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: spawnAndWait(arguments, environment: environment)) }.start()
        }
    }

    private static func spawnAndWait(_ arguments: [String], environment: [String: String]) -> Outcome {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("lr-child-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        let cArguments = arguments.map { strdup($0) } + [nil]
        let cEnvironment = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        var pid = pid_t()
        let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, cArguments, cEnvironment)
        guard spawned == 0 else { return Outcome(status: -1, output: "cannot start \(arguments[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Outcome(status: exitCode, output: output)
    }
}
