import Synchronization

/// How many execution streams are open at once, per user and in all: each open stream reads the
/// store every poll interval, so an unbounded number of them is an unbounded load that one
/// viewer token could put on the store and the process.
///
/// A stream is counted from its upgrade until its socket closes: ``claim(for:)`` before streaming,
/// the returned ``Claim`` released when the stream ends. (It is counted after the upgrade, not
/// at the upgrade request: HummingbirdWebSocket answers every refused upgrade with a bare 400, so
/// a close frame with a reason is the only refusal a client can read.)
final class StreamQuota: Sendable {
    /// One counted stream; ``release()`` gives the slot back (once, however often it is called).
    final class Claim: Sendable {
        private let quota: StreamQuota
        private let user: String
        private let released = Atomic<Bool>(false)

        fileprivate init(quota: StreamQuota, user: String) {
            self.quota = quota
            self.user = user
        }

        /// Gives the slot back.
        func release() {
            guard !released.exchange(true, ordering: .relaxed) else { return }
            quota.counts.withLock { counts in
                counts.total -= 1
                counts.byUser[user, default: 1] -= 1
                if counts.byUser[user] == 0 { counts.byUser[user] = nil }
            }
        }
    }

    /// Why a stream is refused.
    enum Refusal: Error, Equatable, CustomStringConvertible {
        /// The user already has `perUser` streams open.
        case userLimit(Int)
        /// The process already serves `total` streams.
        case totalLimit(Int)

        /// For the close frame (whose reason may hold at most 123 bytes).
        var description: String {
            switch self {
            case .userLimit(let limit): "you already have \(limit) execution streams open: close one first"
            case .totalLimit(let limit): "the server already serves \(limit) execution streams: retry later"
            }
        }
    }

    private struct Counts {
        var total = 0
        var byUser: [String: Int] = [:]
    }

    let perUser: Int
    let total: Int
    private let counts = Mutex(Counts())

    init(perUser: Int, total: Int) {
        self.perUser = perUser
        self.total = total
    }

    /// Counts one more stream for `user`, or throws why it may not open.
    func claim(for user: String) throws(Refusal) -> Claim {
        try counts.withLock { counts throws(Refusal) in
            if counts.byUser[user, default: 0] >= perUser { throw .userLimit(perUser) }
            if counts.total >= total { throw .totalLimit(total) }
            counts.total += 1
            counts.byUser[user, default: 0] += 1
        }
        return Claim(quota: self, user: user)
    }

    /// Streams open now (all users).
    var open: Int { counts.withLock { $0.total } }
}
