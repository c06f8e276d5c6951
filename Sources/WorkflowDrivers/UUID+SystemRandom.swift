public import Foundation

extension UUID {
    /// A random (version 4) UUID drawn from `SystemRandomNumberGenerator` (`getrandom`): about a
    /// third of the cost of `UUID()` on Linux, which opens, reads and closes `/dev/urandom` every
    /// time — a cost paid per step for lock owners and execution ids.
    public static func systemRandom() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var words = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeMutableBytes(of: &words) { bytes in
            bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
            bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
            return UUID(uuid: bytes.load(as: uuid_t.self))
        }
    }
}
