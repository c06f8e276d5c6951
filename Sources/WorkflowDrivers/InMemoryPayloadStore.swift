public import Foundation
import Synchronization

/// Payloads in this process's memory, kept until ``remove(_:)``; for tests and single-process use.
public final class InMemoryPayloadStore: PayloadStore {
    private let payloads = Mutex([String: Data]())

    public init() {}

    public func put(_ bytes: Data) async throws -> String {
        let reference = PayloadReference.of(bytes)
        payloads.withLock { payloads in
            if payloads[reference] == nil { payloads[reference] = bytes }
        }
        return reference
    }

    public func get(_ reference: String) async throws -> Data? {
        payloads.withLock { $0[reference] }
    }

    /// Forgets `reference` (to simulate a lost payload); `true` if it was stored.
    @discardableResult
    public func remove(_ reference: String) -> Bool {
        payloads.withLock { $0.removeValue(forKey: reference) != nil }
    }

    /// How many distinct payloads are stored.
    public var count: Int { payloads.withLock { $0.count } }
}
