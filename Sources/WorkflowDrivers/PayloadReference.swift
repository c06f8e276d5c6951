import Crypto
public import Foundation

/// References of the ``PayloadStore``: `sha256:<64 lowercase hex digits>` of the stored bytes.
public enum PayloadReference {
    /// The scheme every reference starts with.
    public static let scheme = "sha256:"

    /// The reference of `bytes`; the same content always has the same reference.
    public static func of(_ bytes: Data) -> String {
        scheme + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// The hex digest of `reference`, or `nil` if it is not a well-formed reference.
    public static func digest(of reference: String) -> String? {
        guard reference.hasPrefix(scheme) else { return nil }
        let hex = reference.dropFirst(scheme.count)
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        return String(hex)
    }
}
