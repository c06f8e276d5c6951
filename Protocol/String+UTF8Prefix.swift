extension String {
    /// The longest prefix of at most `bytes` UTF-8 bytes that ends on a character (empty when the
    /// first character alone is longer).
    public func prefix(utf8Bytes bytes: Int) -> String {
        guard utf8.count > bytes else { return self }
        var used = 0
        var end = startIndex
        for index in indices {
            let next = self.index(after: index)
            used += self[index..<next].utf8.count
            guard used <= bytes else { break }
            end = next
        }
        return String(self[..<end])
    }
}
