import Synchronization

/// How many of something costly are in progress at once, per user and in all: execution streams
/// (each reads the store every poll interval) and workflow drafts (each up to three language-model
/// calls), which one token could otherwise multiply without bound.
///
/// ``claim(for:)`` before the work, the returned ``Claim`` released when it ends. (A stream is
/// counted after its upgrade, not at the upgrade request: HummingbirdWebSocket answers every
/// refused upgrade with a bare 400, so a close frame with a reason is the only refusal a client
/// can read.)
final class InFlightQuota: Sendable {
    /// One counted piece of work; ``release()`` gives the slot back (once, however often it is called).
    final class Claim: Sendable {
        private let quota: InFlightQuota
        private let user: String
        private let released = Atomic<Bool>(false)

        fileprivate init(quota: InFlightQuota, user: String) {
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

    /// Why work is refused: the limit, what is counted with its state ("execution streams open")
    /// and what the user can do about it ("close one first").
    enum Refusal: Error, Equatable, CustomStringConvertible {
        /// The user already has `perUser`.
        case userLimit(Int, what: String, advice: String)
        /// The process already has `total`.
        case totalLimit(Int, what: String)

        /// Short enough for a WebSocket close frame (whose reason may hold at most 123 bytes).
        var description: String {
            switch self {
            case .userLimit(let limit, let what, let advice): "you already have \(limit) \(what): \(advice)"
            case .totalLimit(let limit, let what): "the server already has \(limit) \(what): retry later"
            }
        }
    }

    private struct Counts {
        var total = 0
        var byUser: [String: Int] = [:]
    }

    let perUser: Int
    let total: Int
    /// What is counted, with its state, and what a refused user can do: for ``Refusal``.
    let what: String
    let advice: String
    private let counts = Mutex(Counts())

    init(perUser: Int, total: Int, what: String, advice: String) {
        self.perUser = perUser
        self.total = total
        self.what = what
        self.advice = advice
    }

    /// Counts one more for `user`, or throws why it may not start.
    func claim(for user: String) throws(Refusal) -> Claim {
        try counts.withLock { counts throws(Refusal) in
            if counts.byUser[user, default: 0] >= perUser { throw .userLimit(perUser, what: what, advice: advice) }
            if counts.total >= total { throw .totalLimit(total, what: what) }
            counts.total += 1
            counts.byUser[user, default: 0] += 1
        }
        return Claim(quota: self, user: user)
    }

    /// In progress now (all users).
    var open: Int { counts.withLock { $0.total } }
}
