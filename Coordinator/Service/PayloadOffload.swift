public import WorkflowDrivers

/// Where, and above which size, the coordinator sends state tasks as a payload store reference
/// instead of whole (docs/protocol.md, "Large payloads").
public struct PayloadOffload: Sendable {
    /// The store, shared with the workers (Redis in distributed mode).
    public var store: any PayloadStore
    /// Encoded task JSON over this many bytes goes to the store. Default 256 KiB.
    public var threshold: Int

    /// The default threshold: 256 KiB.
    public static let defaultThreshold = 256 * 1024

    public init(store: any PayloadStore, threshold: Int = PayloadOffload.defaultThreshold) {
        self.store = store
        self.threshold = threshold
    }
}
