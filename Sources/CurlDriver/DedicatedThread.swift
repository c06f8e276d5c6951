import Foundation

/// Runs blocking C calls (`curl_easy_perform`, `getaddrinfo`) on a thread of their own, so they
/// never hold one of the few threads of Swift's cooperative pool.
enum DedicatedThread {
    static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.start()
        }
    }
}
