public import Foundation
import Synchronization

/// An ``APITokenStore`` in memory, for tests: ids count up from 1, everything is forgotten when
/// the process ends.
///
/// ```swift
/// let store = InMemoryAPITokenStore()
/// let record = try await store.create(draft)
/// ```
public final class InMemoryAPITokenStore: APITokenStore {
    private struct State {
        var records: [APITokenRecord] = []
        var lastID = 0
    }

    private let state = Mutex(State())

    /// Creates an empty store.
    public init() {}

    public func create(_ draft: APITokenDraft) async throws -> APITokenRecord {
        try state.withLock { state in
            guard !state.records.contains(where: { $0.hash == draft.hash }) else {
                throw StoreError.backend("an API token with this hash exists")
            }
            state.lastID += 1
            let record = APITokenRecord(id: String(state.lastID), draft)
            state.records.append(record)
            return record
        }
    }

    public func token(hash: String) async throws -> APITokenRecord? {
        state.withLock { state in state.records.first { $0.hash == hash && $0.revokedAt == nil } }
    }

    public func list(owner: String?) async throws -> [APITokenRecord] {
        state.withLock { state in
            // Records are kept in id order; the stable sort keeps it among tokens created at the same moment.
            state.records.filter { owner == nil || $0.owner == owner }.sorted { $0.createdAt < $1.createdAt }
        }
    }

    public func revoke(id: String) async throws -> Bool {
        state.withLock { state in
            guard let index = state.records.firstIndex(where: { $0.id == id && $0.revokedAt == nil }) else { return false }
            state.records[index].revokedAt = Date()
            return true
        }
    }

    public func touch(id: String, at date: Date) async throws {
        state.withLock { state in
            guard let index = state.records.firstIndex(where: { $0.id == id }) else { return }
            state.records[index].lastUsedAt = max(state.records[index].lastUsedAt ?? date, date)
        }
    }
}
