/// A 1-based line and column in a workflow document.
struct SourcePosition: Sendable, Equatable {
    var line: Int
    var column: Int
}

/// Where each field of a parsed document was written, keyed by field path
/// (`states.validate.retry.max_attempts`), so later checks can point at lines.
struct SourceMap: Sendable {
    private var positions: [String: SourcePosition] = [:]
    /// Where the text of single-line scalars starts (after an opening quote), so that an offset
    /// inside the text can be turned into a column.
    private var textStarts: [String: SourcePosition] = [:]

    /// Records `position` for `path` (the first record wins), and where its text starts when it is a single-line scalar.
    mutating func record(_ path: String, _ position: SourcePosition?, textStart: SourcePosition? = nil) {
        guard let position, positions[path] == nil else { return }
        positions[path] = position
        textStarts[path] = textStart
    }

    /// The position of character `offset` of the scalar at `path`, when it is a single-line scalar.
    func position(of path: String, offset: Int) -> SourcePosition? {
        textStarts[path].map { SourcePosition(line: $0.line, column: $0.column + offset) }
    }

    /// The position of `path`, or of its closest recorded ancestor.
    func position(of path: String) -> SourcePosition? {
        var current = Substring(path)
        while true {
            if let position = positions[String(current)] { return position }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            current = current[..<cut]
        }
    }
}

extension Diagnostic {
    /// A diagnostic positioned at `position`.
    init(code: String, message: String, path: String, at position: SourcePosition?, hint: String? = nil) {
        self.init(code: code, message: message, path: path, line: position?.line, column: position?.column, hint: hint)
    }
}

/// Field paths as diagnostics print them.
enum FieldPath {
    /// `parent.child`, or `child` at the root.
    static func join(_ parent: String, _ child: String) -> String {
        parent.isEmpty ? child : "\(parent).\(child)"
    }

    /// `parent[index]`.
    static func index(_ parent: String, _ index: Int) -> String { "\(parent)[\(index)]" }
}
