/// Where an ``AnswerCache`` keeps its answers for other processes too (a worker fleet's Redis):
/// an answer one worker paid for is reused by every other within the cache's lifetime. Keys are
/// SHA-256 digests of everything that shapes an answer; values are opaque bytes. A store that
/// fails answers `nil` and stores nothing: a cache never fails a call.
public protocol SharedAnswerStore: Sendable {
    /// The value kept under `key`, or `nil` (none, expired, or the store failed).
    func value(forKey key: String) async -> [UInt8]?
    /// Keeps `value` under `key` for `lifetime` (best effort).
    func keep(_ value: [UInt8], forKey key: String, lifetime: Duration) async
}
