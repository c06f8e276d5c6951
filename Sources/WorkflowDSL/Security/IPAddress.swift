import Foundation

/// An IPv4 or IPv6 address as 16 bytes (IPv4 as IPv4-mapped IPv6), parsed the lenient way
/// resolvers and browsers do, so `2130706433`, `0177.0.0.1` and `0x7f.1` are all 127.0.0.1.
struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// Network-order bytes; IPv4 addresses are stored as `::ffff:a.b.c.d`.
    var bytes: [UInt8]

    static let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]

    init(ipv4: UInt32) {
        bytes = Self.mappedPrefix + [UInt8(ipv4 >> 24), UInt8(ipv4 >> 16 & 0xff), UInt8(ipv4 >> 8 & 0xff), UInt8(ipv4 & 0xff)]
    }

    init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "an IP address has 16 bytes")
        self.bytes = bytes
    }

    /// Parses an address literal: IPv4 in any inet_aton spelling, or IPv6 (brackets and a `%zone` allowed).
    init?(_ text: String) {
        var literal = Substring(text)
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = literal.dropFirst().dropLast() }
        if let zone = literal.firstIndex(of: "%") { literal = literal[..<zone] }
        if literal.utf8.contains(UInt8(ascii: ":")) {
            guard let bytes = Self.parseIPv6(literal) else { return nil }
            self.init(bytes: bytes)
        } else {
            guard let value = Self.parseIPv4(literal) else { return nil }
            self.init(ipv4: value)
        }
    }

    /// `true` for IPv4 (and IPv4-mapped IPv6) addresses.
    var isIPv4: Bool { Array(bytes.prefix(12)) == Self.mappedPrefix }

    var description: String {
        if isIPv4 { return bytes.suffix(4).map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
    }

    /// inet_aton: 1–4 parts, each decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes.
    private static func parseIPv4(_ text: Substring) -> UInt32? {
        var text = text
        if text.hasSuffix(".") { text = text.dropLast() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt64] = []
        for part in parts {
            guard let value = parseNumber(part) else { return nil }
            values.append(value)
        }
        var result: UInt64 = 0
        for value in values.dropLast() {
            guard value <= 0xff else { return nil }
            result = result << 8 | value
        }
        let remainingBits = UInt64(8 * (5 - values.count))
        guard let last = values.last, last < (1 << remainingBits) else { return nil }
        return UInt32(result << remainingBits | last)
    }

    private static func parseNumber(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.count <= 32 else { return nil }
        let lowered = part.lowercased()
        if lowered.hasPrefix("0x") { return lowered.count == 2 ? 0 : UInt64(lowered.dropFirst(2), radix: 16) }
        if lowered.count > 1, lowered.hasPrefix("0") { return UInt64(lowered.dropFirst(), radix: 8) }
        guard lowered.allSatisfy(\.isASCII) else { return nil }
        return UInt64(lowered, radix: 10)
    }

    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    guard let ipv4 = parseStrictIPv4(piece) else { return nil }
                    bytes += [UInt8(ipv4 >> 24), UInt8(ipv4 >> 16 & 0xff), UInt8(ipv4 >> 8 & 0xff), UInt8(ipv4 & 0xff)]
                } else {
                    guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                    bytes += [UInt8(value >> 8), UInt8(value & 0xff)]
                }
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    private static func parseStrictIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        return parts.reduce(UInt32?(0)) { result, part in
            guard let result, let byte = UInt8(part) else { return nil }
            return result << 8 | UInt32(byte)
        }
    }
}

/// A CIDR range such as `10.0.0.0/8` or `fc00::/7`.
struct CIDRRange: Sendable, Equatable {
    var network: IPAddress
    /// Prefix length over the 16-byte form (IPv4 prefixes are offset by 96).
    var prefixLength: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let address = IPAddress(String(parts[0])), let length = Int(parts[1]) else { return nil }
        let offset = address.isIPv4 ? 96 : 0
        guard length >= 0, length + offset <= 128 else { return nil }
        network = address
        prefixLength = length + offset
    }

    func contains(_ address: IPAddress) -> Bool {
        for bit in 0..<prefixLength {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            if address.bytes[bit / 8] & mask != network.bytes[bit / 8] & mask { return false }
        }
        return true
    }
}
