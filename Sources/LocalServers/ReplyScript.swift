import Synchronization

/// Scripted replies given in order, for the local model servers; `exhausted` once none is left.
final class ReplyScript<Reply: Sendable>: Sendable {
    private let replies: Mutex<[Reply]>
    private let exhausted: Reply

    init(_ replies: [Reply], exhausted: Reply) {
        self.replies = Mutex(replies)
        self.exhausted = exhausted
    }

    func next() -> Reply { replies.withLock { $0.isEmpty ? exhausted : $0.removeFirst() } }
}
