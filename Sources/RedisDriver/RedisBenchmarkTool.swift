import Foundation

/// Runs `redis-benchmark` (from the redis-tools package) against one server and reads its
/// requests-per-second figure.
struct RedisBenchmarkTool {
    let configuration: RedisConfiguration
    let requests: Int
    let clients: Int

    /// Requests per second for `arguments` (`-t set`, or a custom command after the options).
    func requestsPerSecond(_ arguments: [String]) async throws -> Double {
        var command = [
            "redis-benchmark", "-h", configuration.host, "-p", String(configuration.port),
            "--dbnum", String(configuration.database), "-q", "-n", String(requests), "-c", String(clients), "-P", "1",
        ]
        if let password = configuration.password { command += ["-a", password, "--no-auth-warning"] }
        if let user = configuration.user { command += ["--user", user] }
        command += arguments
        let output = try await run(command)
        // `-q` prints progress lines separated by \r, then "NAME: 12345.67 requests per second, p50=…".
        let final = output.split(whereSeparator: { $0 == "\r" || $0 == "\n" }).last { $0.contains("requests per second") }
        guard let final, let colon = final.range(of: ": ", options: .backwards, range: final.startIndex..<(final.range(of: " requests per second")?.lowerBound ?? final.endIndex)),
              let figure = Double(final[colon.upperBound...].prefix { $0.isNumber || $0 == "." })
        else {
            throw RedisError(.benchmarkFailed, "no figure in redis-benchmark output: \(output.suffix(300))", context: arguments.joined(separator: " "))
        }
        return figure
    }

    private func run(_ command: [String]) async throws -> String {
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("lazyrabbit-redis-benchmark-\(UUID().uuidString).txt")
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil) else {
            throw RedisError(.benchmarkFailed, "cannot create \(outputURL.path)")
        }
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let output = try FileHandle(forWritingTo: outputURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.standardOutput = output
        process.standardError = output
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: RedisError(.benchmarkFailed, "cannot start redis-benchmark: \(error)"))
            }
        }
        try output.close()
        let text = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw RedisError(.benchmarkFailed, "redis-benchmark exited with \(status): \(text.suffix(300))")
        }
        return text
    }
}
