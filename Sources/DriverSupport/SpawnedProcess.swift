public import Foundation

/// A child process started with `posix_spawn` and an empty signal mask (Foundation's `Process`
/// inherits a mask that blocks SIGTERM under `swift test` and can hang in `waitUntilExit`), its
/// standard output and error going to one file. Benchmarks and fault injection use it to run
/// workers, signal them and read their CPU time and peak memory from `/proc` while they live.
///
/// ```swift
/// let worker = try SpawnedProcess.start(["/path/to/lazyrabbit", "worker"], outputPath: "/tmp/worker.log")
/// worker.signal(SIGTERM)
/// let status = await worker.wait()
/// ```
public final class SpawnedProcess: Sendable {
    /// The process id.
    public let pid: pid_t
    /// Where its standard output and error go.
    public let outputPath: String

    private init(pid: pid_t, outputPath: String) {
        self.pid = pid
        self.outputPath = outputPath
    }

    /// Starts `arguments[0]` (an absolute path) with `arguments`, adding `environment` to this process's.
    ///
    /// - Throws: ``SpawnError`` when the program cannot be started.
    public static func start(_ arguments: [String], environment: [String: String] = [:], outputPath: String) throws -> SpawnedProcess {
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
        guard spawned == 0 else { throw SpawnError(program: arguments[0], reason: String(cString: strerror(spawned))) }
        return SpawnedProcess(pid: pid, outputPath: outputPath)
    }

    /// Sends `signal` (SIGTERM to drain, SIGKILL to kill).
    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for the process to end, on a thread of its own; answers its exit code (128 + signal if killed).
    public func wait() async -> Int32 {
        let pid = pid
        return await withCheckedContinuation { continuation in
            Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F))
            }.start()
        }
    }

    /// What it printed so far.
    public var output: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// CPU seconds (user + system) and peak resident memory in MiB so far, from `/proc`; `nil` once it has been reaped.
    public func usage() -> (cpuSeconds: Double, peakRSSMiB: Double)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let peakKiB = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }?
            .split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
        return ((user + system) / ticks, peakKiB / 1024)
    }
}

/// A program could not be started.
public struct SpawnError: Error, Sendable, CustomStringConvertible {
    public var program: String
    public var reason: String
    public var description: String { "cannot start \(program): \(reason)" }
}

extension SpawnedProcess {
    /// Whether the process still runs: it exists and is not a zombie waiting to be reaped.
    public var isRunning: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return false
        }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }
}
