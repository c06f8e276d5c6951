/// Byte-level helpers for ASCII-framed text (JSON, HTTP heads, URLs), used where going through
/// `String` and Foundation would cost more than the work itself.
extension BidirectionalCollection where Element == UInt8 {
    /// The bytes without leading and trailing spaces, tabs, CRs and LFs.
    public func trimmingASCIIWhitespace() -> SubSequence {
        let isWhitespace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        guard let first = firstIndex(where: { !isWhitespace($0) }), let last = lastIndex(where: { !isWhitespace($0) }) else {
            return self[startIndex..<startIndex]
        }
        return self[first...last]
    }
}

extension Collection where Element == UInt8 {
    /// Where `pattern` (a few bytes) first occurs, compared byte by byte: cheaper for short
    /// patterns than Foundation's `range(of:)` or the standard library's generic searcher.
    public func firstRange(ofBytes pattern: some Collection<UInt8>) -> Range<Index>? {
        var start = startIndex
        while start != endIndex {
            if self[start...].starts(with: pattern) { return start..<index(start, offsetBy: pattern.count) }
            start = index(after: start)
        }
        return nil
    }
}
