/// Finds the second occurrence of a duplicated mapping key in the source text, for
/// ``YAMLComposer``'s recovery. Works on Unicode scalars, as libyaml counts columns.
enum DuplicateKeyLocator {
    /// Replaces the occurrence of `key` that follows the one at `first` (in the same mapping)
    /// with a unique placeholder; returns the placeholder and where the occurrence was, or `nil`
    /// when it cannot be found.
    static func renameSecondOccurrence(of key: String, firstAt first: SourcePosition, in text: inout String, index: Int)
        -> (name: String, position: SourcePosition)?
    {
        var scalars = Array(text.unicodeScalars)
        let lineStarts = [0] + scalars.indices.filter { scalars[$0] == "\n" }.map { $0 + 1 }
        guard first.line >= 1, first.line <= lineStarts.count else { return nil }
        let start = lineStarts[first.line - 1] + first.column - 1
        guard start < scalars.count, let firstEnd = tokenEnd(scalars, from: start) else { return nil }
        let isFlow = previousSignificant(scalars, before: start).map { $0 == "{" || $0 == "," } ?? false
        let found = isFlow
            ? flowOccurrence(of: key, in: scalars, after: firstEnd)
            : blockOccurrence(of: key, in: scalars, lineStarts: lineStarts, line: first.line, column: first.column)
        guard let range = found else { return nil }
        let line = lineStarts.lastIndex(where: { $0 <= range.lowerBound }) ?? 0
        let name = "__lazyrabbit_duplicate_\(index)__"
        // A quoted key stays quoted: JSON's `"k":"v"` has no space after the colon, and a plain
        // `__lazyrabbit_duplicate_0__:"v"` would be one scalar, not a key and its value.
        let quote = scalars[range.lowerBound] == "\"" || scalars[range.lowerBound] == "'" ? String(scalars[range.lowerBound]) : ""
        scalars.replaceSubrange(range, with: (quote + name + quote).unicodeScalars)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        text = String(view)
        return (name, SourcePosition(line: line + 1, column: range.lowerBound - lineStarts[line] + 1))
    }

    /// Block style: a later line indented exactly like the first key, before the mapping ends.
    private static func blockOccurrence(of key: String, in scalars: [Unicode.Scalar], lineStarts: [Int], line: Int, column: Int) -> Range<Int>? {
        for lineIndex in line..<lineStarts.count {
            var position = lineStarts[lineIndex]
            while position < scalars.count, scalars[position] == " " { position += 1 }
            let indent = position - lineStarts[lineIndex]
            guard position < scalars.count, scalars[position] != "\n", scalars[position] != "#" else { continue }
            if indent < column - 1 { return nil }
            if indent == column - 1, let range = keyToken(key, in: scalars, at: position) { return range }
        }
        return nil
    }

    /// Flow style (JSON): a later key at the same bracket depth, before the closing brace.
    private static func flowOccurrence(of key: String, in scalars: [Unicode.Scalar], after start: Int) -> Range<Int>? {
        var depth = 0, position = start
        while position < scalars.count {
            let scalar = scalars[position]
            switch scalar {
            case "\"", "'":
                position = tokenEnd(scalars, from: position) ?? scalars.count
                continue
            case "{", "[": depth += 1
            case "}", "]":
                if depth == 0 { return nil }
                depth -= 1
            case "," where depth == 0:
                var next = position + 1
                while next < scalars.count, scalars[next].properties.isWhitespace { next += 1 }
                if let range = keyToken(key, in: scalars, at: next) { return range }
            default: break
            }
            position += 1
        }
        return nil
    }

    /// The range of `key` (plain or quoted) at `position` when it is followed by `:`.
    private static func keyToken(_ key: String, in scalars: [Unicode.Scalar], at position: Int) -> Range<Int>? {
        guard position < scalars.count, let end = tokenEnd(scalars, from: position) else { return nil }
        var token = String(String.UnicodeScalarView(scalars[position..<end]))
        if let quote = token.first, quote == "\"" || quote == "'", token.count >= 2 { token = String(token.dropFirst().dropLast()) }
        guard token == key else { return nil }
        var after = end
        while after < scalars.count, scalars[after] == " " || scalars[after] == "\t" { after += 1 }
        return after < scalars.count && scalars[after] == ":" ? position..<end : nil
    }

    /// The end of the quoted string or plain key token starting at `position`.
    private static func tokenEnd(_ scalars: [Unicode.Scalar], from position: Int) -> Int? {
        guard position < scalars.count else { return nil }
        let quote = scalars[position]
        if quote == "\"" || quote == "'" {
            var index = position + 1
            while index < scalars.count {
                if scalars[index] == "\\", quote == "\"" { index += 2; continue }
                if scalars[index] == quote { return index + 1 }
                index += 1
            }
            return nil
        }
        var index = position
        while index < scalars.count, !":,{}[]\n".unicodeScalars.contains(scalars[index]) { index += 1 }
        while index > position, scalars[index - 1] == " " || scalars[index - 1] == "\t" { index -= 1 }
        return index
    }

    private static func previousSignificant(_ scalars: [Unicode.Scalar], before position: Int) -> Unicode.Scalar? {
        scalars[..<position].last { !$0.properties.isWhitespace }
    }
}
