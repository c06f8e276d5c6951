/// Why a fault run could not be carried out (as opposed to an invariant that did not hold, which
/// the report shows): a process that would not start, a server that would not come back, a timeout.
public struct FaultError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, with enough context to act on.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
