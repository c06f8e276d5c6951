import Foundation

/// Runs a blocking C call (`getaddrinfo`) on a thread of its own, so it never holds one of the
/// few threads of Swift's cooperative pool.
enum DedicatedThread {
    static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.start()
        }
    }
}
