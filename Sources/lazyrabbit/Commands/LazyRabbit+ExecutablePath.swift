import ArgumentParser
import Foundation

extension LazyRabbit {
    /// This binary, which the processes that `bench` and `faults` start (coordinators, workers) run.
    static func executablePath() throws -> String {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        guard FileManager.default.isExecutableFile(atPath: path) else { throw ValidationError("cannot find this program's binary at \(path)") }
        return path
    }
}
