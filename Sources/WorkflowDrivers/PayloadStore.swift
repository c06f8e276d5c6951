public import Foundation

/// A content-addressed store for payloads too large to travel in a broker message (a state task,
/// a report's outcome): the message carries the reference instead (docs/protocol.md, "Large
/// payloads"). Implementations: ``InMemoryPayloadStore`` (tests, one process) and
/// `RedisPayloadStore` (shared by the coordinator and its workers).
///
/// ```swift
/// let reference = try await store.put(body)        // "sha256:9f86d0…"
/// let same = try await store.get(reference)        // body, or nil once it expired
/// ```
public protocol PayloadStore: Sendable {
    /// Stores `bytes` (once: storing the same content again changes nothing) and returns its
    /// reference, ``PayloadReference/of(_:)``.
    func put(_ bytes: Data) async throws -> String
    /// The bytes stored under `reference`, or `nil` if they are gone (expired, flushed, never stored).
    func get(_ reference: String) async throws -> Data?
}
