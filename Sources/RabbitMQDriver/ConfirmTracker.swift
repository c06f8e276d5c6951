/// Which messages of one publish batch the broker has answered. The batch's messages carry
/// consecutive publish sequence numbers from `firstTag`; basic.ack / basic.nack with `multiple`
/// settle every open tag up to theirs.
struct ConfirmTracker {
    let firstTag: UInt64
    private var outcomes: [PublishResult.Outcome?]
    /// Index of the oldest message that may still be open.
    private var oldestOpen = 0
    private(set) var sent = 0
    private(set) var settled = 0

    init(firstTag: UInt64, count: Int) {
        self.firstTag = firstTag
        self.outcomes = Array(repeating: nil, count: count)
    }

    /// Messages sent and not yet answered.
    var inFlight: Int { sent - settled }

    /// Records that the next message went out.
    mutating func recordSent() {
        sent += 1
    }

    /// Applies an ack (`confirmed`) or nack (`nacked`) for `tag`.
    mutating func settle(tag: UInt64, multiple: Bool, outcome: PublishResult.Outcome) {
        guard tag >= firstTag else { return }
        let last = Int(tag - firstTag)
        guard last < sent else { return }
        if multiple {
            for index in oldestOpen...last where outcomes[index] == nil { record(index, outcome) }
        } else if outcomes[last] == nil {
            record(last, outcome)
        }
        while oldestOpen < sent, outcomes[oldestOpen] != nil { oldestOpen += 1 }
    }

    /// One result per message; those never answered are `unconfirmed`.
    func results(for messages: [OutgoingMessage]) -> [PublishResult] {
        zip(messages, outcomes).map { PublishResult(messageID: $0.messageID, outcome: $1 ?? .unconfirmed) }
    }

    private mutating func record(_ index: Int, _ outcome: PublishResult.Outcome) {
        outcomes[index] = outcome
        settled += 1
    }
}
