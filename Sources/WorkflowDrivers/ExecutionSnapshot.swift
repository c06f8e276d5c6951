public import Foundation
import Synchronization

/// An execution's serialised state, opaque to stores. Made from stored bytes, or from an encoding
/// step that runs once, when the bytes are first asked for: a store that writes snapshots asks at
/// once, while one that keeps records in memory (``InMemoryExecutionStore``) never pays to encode
/// a snapshot nobody reads — that encoding was the largest cost of an in-memory step.
///
/// ```swift
/// let snapshot = ExecutionSnapshot { instance.snapshotJSON() }
/// let bytes = try snapshot.data()   // encoded now, kept for later calls
/// ```
public struct ExecutionSnapshot: Sendable, Equatable, Codable, CustomStringConvertible {
    private enum Contents {
        case bytes(Data)
        case pending(@Sendable () throws -> Data)
    }

    private final class Storage: Sendable {
        let contents: Mutex<Contents>

        init(_ contents: Contents) {
            self.contents = Mutex(contents)
        }
    }

    private let storage: Storage

    /// A snapshot of these bytes.
    public init(_ bytes: Data) {
        storage = Storage(.bytes(bytes))
    }

    /// A snapshot whose bytes `encode` makes on first use (once; the result is kept).
    public init(encoding encode: @escaping @Sendable () throws -> Data) {
        storage = Storage(.pending(encode))
    }

    /// The bytes, encoded now if they were not yet.
    ///
    /// - Throws: whatever the encoding step throws (it runs again on the next call).
    public func data() throws -> Data {
        try storage.contents.withLock { contents in
            switch contents {
            case .bytes(let bytes):
                return bytes
            case .pending(let encode):
                let bytes = try encode()
                contents = .bytes(bytes)
                return bytes
            }
        }
    }

    public static func == (lhs: ExecutionSnapshot, rhs: ExecutionSnapshot) -> Bool {
        lhs.storage === rhs.storage || (try? lhs.data()) == (try? rhs.data())
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(Data.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(try data())
    }

    public var description: String {
        (try? data()).map { "\($0.count) bytes" } ?? "a snapshot that cannot be encoded"
    }
}
