import DriverSupport
import Foundation
import RedisDriver

/// The shared local servers (`scripts/services`) that some faults stop, kill or flush, and how
/// each is brought back. Every fault that touches one calls ``restore()`` afterwards, also when it
/// failed, so the servers are up for whatever runs next.
enum SharedServers {
    // MARK: RabbitMQ

    /// `rabbitmqctl stop_app`: the node stays up, every client is disconnected.
    static func stopBroker() async throws {
        try await ShellCommand.run(["rabbitmqctl", "-q", "stop_app"], timeout: .seconds(60))
    }

    /// `rabbitmqctl start_app`, then waits for the broker to accept clients.
    static func startBroker() async throws {
        try await ShellCommand.run(["rabbitmqctl", "-q", "start_app"], timeout: .seconds(90))
        try await ShellCommand.run(["rabbitmqctl", "-q", "await_startup", "--timeout", "60"], timeout: .seconds(75))
    }

    /// `kill -9` of the broker's Erlang VM (`beam.smp`), found by its own pid rather than by name.
    static func killBroker() async throws {
        let answer = try await ShellCommand.run(["rabbitmqctl", "-q", "eval", "list_to_integer(os:getpid())."], timeout: .seconds(30))
        guard let pid = Int32(answer.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? "") else {
            throw FaultError("cannot read the broker's pid from `rabbitmqctl eval`: \(answer)")
        }
        guard kill(pid, SIGKILL) == 0 else { throw FaultError("kill -9 \(pid) (beam.smp): \(String(cString: strerror(errno)))") }
        // The node is gone once rabbitmqctl no longer reaches it.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, (try? await ShellCommand.run(["rabbitmqctl", "-q", "ping"], timeout: .seconds(10))) != nil {
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Starts the broker node as `scripts/services up` does, if it is down, and waits until it serves.
    static func bootBroker() async throws {
        if (try? await ShellCommand.run(["rabbitmqctl", "-q", "ping"], timeout: .seconds(15))) == nil {
            try? await ShellCommand.run(
                ["rabbitmq-server", "-detached"], environment: ["RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1"], timeout: .seconds(30))
        }
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if (try? await ShellCommand.run(["rabbitmqctl", "-q", "await_startup", "--timeout", "10"], timeout: .seconds(20))) != nil {
                // A node whose app was stopped answers await_startup only once the app runs again.
                return
            }
            if (try? await ShellCommand.run(["rabbitmqctl", "-q", "ping"], timeout: .seconds(10))) != nil {
                try? await ShellCommand.run(["rabbitmqctl", "-q", "start_app"], timeout: .seconds(60))
            }
            try await Task.sleep(for: .seconds(1))
        }
        throw FaultError("RabbitMQ did not come back within 120 s; see /var/log/rabbitmq/ and run scripts/services up")
    }

    // MARK: PostgreSQL

    /// The newest installed PostgreSQL version (`scripts/services` uses its `main` cluster).
    static func postgresVersion() throws -> String {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let newest = versions.sorted(by: { $0.compare($1, options: .numeric) == .orderedAscending }).last else {
            throw FaultError("no PostgreSQL under /usr/lib/postgresql (run scripts/services up)")
        }
        return newest
    }

    /// `pg_ctlcluster <version> main restart` (fast shutdown: every connection is cut).
    static func restartPostgres() async throws {
        try await ShellCommand.run(["pg_ctlcluster", try postgresVersion(), "main", "restart", "-m", "fast"], timeout: .seconds(90))
    }

    /// Starts PostgreSQL's cluster if it is not online.
    static func bootPostgres() async throws {
        let version = try postgresVersion()
        let clusters = (try? await ShellCommand.run(["pg_lsclusters", "-h"], timeout: .seconds(20))) ?? ""
        if !clusters.split(separator: "\n").contains(where: { $0.hasPrefix("\(version) main") && $0.contains("online") }) {
            try await ShellCommand.run(["pg_ctlcluster", version, "main", "start"], timeout: .seconds(90))
        }
    }

    // MARK: Redis

    /// `FLUSHALL`: every lock, fencing counter and `reported:` marker is gone at once.
    static func flushRedis() async throws {
        let pool = try RedisPool(url: ServerSettings.redisURL)
        _ = try await pool.command(["FLUSHALL"])
    }

    /// Brings back whatever a fault may have left down.
    static func restore() async throws {
        try await bootPostgres()
        try await bootBroker()
    }
}
