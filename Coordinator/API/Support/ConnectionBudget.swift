import Foundation
import NIOCore
import Synchronization

/// How many connections a server holds at once: file descriptors are shared with the stores,
/// the broker and the logs, and a process that runs out of them fails in places it cannot
/// recover from.
final class ConnectionBudget: Sendable {
    /// File descriptors kept for everything but client connections.
    static let reserve = 1024

    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// The process's soft open-file limit less ``reserve`` (at least 64).
    static func forThisProcess() -> ConnectionBudget {
        var limits = rlimit()
        let soft = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0 ? Int(clamping: limits.rlim_cur) : 4096
        return ConnectionBudget(limit: max(64, soft - reserve))
    }

    /// Counts `channel` until it closes; `false` when it is one too many.
    func admit(_ channel: any Channel) -> Bool {
        let count = open.add(1, ordering: .relaxed).newValue
        channel.closeFuture.whenComplete { _ in self.open.subtract(1, ordering: .relaxed) }
        return count <= limit
    }
}
