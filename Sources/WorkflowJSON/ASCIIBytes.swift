/// Byte-level helpers for ASCII-framed text (JSON, HTTP heads, URLs), used where going through
/// `String` and Foundation would cost more than the work itself. They are `@inlinable` so that
/// each caller gets a copy specialized for its collection type: called generically across the
/// module boundary, every byte went through protocol witnesses (the benchmark's HTTP server spent
/// a tenth of its process's time in this search).
extension BidirectionalCollection where Element == UInt8 {
    /// The bytes without leading and trailing spaces, tabs, CRs and LFs.
    @inlinable
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
    /// An empty pattern occurs at the start, also of an empty collection.
    @inlinable
    public func firstRange(ofBytes pattern: some Collection<UInt8>) -> Range<Index>? {
        guard let head = pattern.first else { return startIndex..<startIndex }
        var start = startIndex
        while let candidate = self[start...].firstIndex(of: head) {
            if self[candidate...].starts(with: pattern) { return candidate..<index(candidate, offsetBy: pattern.count) }
            start = index(after: candidate)
        }
        return nil
    }
}
