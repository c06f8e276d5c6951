import DriverSupport
import Foundation
import LocalServers

/// The real processes of one fault run: `lazyrabbit coordinator` replicas and `lazyrabbit worker`
/// processes, all started from one binary under one queue-name prefix, each with its log file.
/// ``stopAll()`` kills whatever still runs; the runner calls it on every path.
actor FaultCluster {
    /// A started process and how to reach it.
    struct Member: Sendable {
        var process: SpawnedProcess
        /// The coordinator's base URL (`nil` for workers).
        var baseURL: String?
        var port: Int?
    }

    let executable: String
    let prefix: String
    let secret: String
    let databaseURL: String
    let logDirectory: String
    private(set) var members: [String: Member] = [:]
    /// Workers' extra arguments (`--lock-ttl`, …).
    var workerArguments: [String] = []
    private let client: CoordinatorClient

    init(executable: String, prefix: String, secret: String, databaseURL: String, logDirectory: String, client: CoordinatorClient) {
        self.executable = executable
        self.prefix = prefix
        self.secret = secret
        self.databaseURL = databaseURL
        self.logDirectory = logDirectory
        self.client = client
    }

    func setWorkerArguments(_ arguments: [String]) { workerArguments = arguments }

    /// Starts coordinator `name` (on `port`, or a free one) and waits until `/readyz` answers 200.
    @discardableResult
    func startCoordinator(_ name: String, port: Int? = nil) async throws -> String {
        let port = try port ?? Self.freePort()
        let process = try SpawnedProcess.start(
            [executable, "coordinator", "--queue-name-prefix", prefix, "--allow-host", "127.0.0.1"],
            environment: [
                "LAZYRABBIT_HTTP_PORT": String(port), "LAZYRABBIT_JWT_SECRET": secret, "LAZYRABBIT_DATABASE_URL": databaseURL,
                "NO_COLOR": "1",
            ],
            outputPath: logPath(name))
        let baseURL = "http://127.0.0.1:\(port)"
        members[name] = Member(process: process, baseURL: baseURL, port: port)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if await client.isReady(baseURL) { return baseURL }
            guard process.isRunning else {
                throw FaultError("coordinator \(name) stopped while starting: \(process.output.suffix(800))")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw FaultError("coordinator \(name) was not ready on \(baseURL) within 60 s; log: \(logPath(name))")
    }

    /// Starts worker `name`.
    func startWorker(_ name: String) throws {
        let process = try SpawnedProcess.start(
            [executable, "worker", "--queue-name-prefix", prefix, "--allow-host", "127.0.0.1", "--worker-id", "\(prefix)-\(name)"]
                + workerArguments,
            environment: ["NO_COLOR": "1"], outputPath: logPath(name))
        members[name] = Member(process: process)
    }

    /// Sends `signal` to `name` and, for SIGKILL (or within `timeout` otherwise), waits for it to end.
    func stop(_ name: String, signal: Int32, timeout: Duration = .seconds(45)) async throws {
        guard let member = members[name] else { throw FaultError("no process \(name) in this cluster") }
        member.process.signal(signal)
        let ended = await Self.wait(for: member.process, within: timeout)
        if !ended {
            member.process.signal(SIGKILL)
            _ = await member.process.wait()
            throw FaultError("\(name) did not end within \(timeout) of signal \(signal); killed")
        }
    }

    /// Base URLs of coordinators whose process still runs.
    func liveCoordinators() -> [String] {
        members.filter { $0.value.baseURL != nil && $0.value.process.isRunning }.sorted { $0.key < $1.key }.compactMap(\.value.baseURL)
    }

    /// Names of processes that ended (a worker that died on its own is a failure).
    func ended(among names: [String]) -> [String] {
        names.filter { members[$0].map { !$0.process.isRunning } ?? false }
    }

    /// `name`'s port (to restart a coordinator on the same one).
    func port(of name: String) -> Int? { members[name]?.port }

    /// Lines of every log matching `needle`.
    func logLines(containing needle: String, in names: [String]? = nil) -> Int {
        (names ?? Array(members.keys)).compactMap { members[$0]?.process.output }
            .reduce(0) { $0 + $1.split(separator: "\n").filter { $0.contains(needle) }.count }
    }

    /// Drains workers (SIGTERM) and stops coordinators; kills whatever does not end within 20 s.
    func stopAll() async {
        for member in members.values where member.process.isRunning { member.process.signal(SIGTERM) }
        for (name, member) in members {
            if !(await Self.wait(for: member.process, within: .seconds(20))) {
                member.process.signal(SIGKILL)
                _ = await member.process.wait()
                _ = name
            }
        }
    }

    func logPath(_ name: String) -> String { logDirectory + "/\(name).log" }

    /// Whether `process` ended within `timeout` (it is reaped if so).
    private static func wait(for process: SpawnedProcess, within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                _ = await process.wait()
                return true
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// A TCP port nobody listens on right now (bound to port 0, read back, released).
    static func freePort() throws -> Int {
        guard let port = LoopbackSocket.freePort() else { throw FaultError("cannot find a free port: \(String(cString: strerror(errno)))") }
        return port
    }
}
