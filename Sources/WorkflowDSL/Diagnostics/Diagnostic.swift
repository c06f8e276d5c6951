/// One problem found in a workflow document, with where it is and what to do about it.
public struct Diagnostic: Sendable, Codable, Equatable, Error, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable {
        case error, warning
    }

    public var severity: Severity
    /// A stable machine-readable code (`unknown_field`, `undefined_target`, `blocked_address`, ...).
    public var code: String
    public var message: String
    /// The field path, e.g. `states.validate.retry.max_attempts`.
    public var path: String
    /// 1-based line, when the problem has a position in the source.
    public var line: Int?
    /// 1-based column.
    public var column: Int?
    /// A suggestion, e.g. "did you mean `route`?".
    public var hint: String?

    public init(severity: Severity = .error, code: String, message: String, path: String, line: Int? = nil, column: Int? = nil, hint: String? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint
    }

    /// `FILE:LINE:COL: error: message [path] (hint)`-style text, as compilers print it.
    public func formatted(file: String) -> String {
        var position = file
        if let line { position += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        var text = "\(position): \(severity.rawValue): \(message)"
        if !path.isEmpty { text += " [\(path)]" }
        if let hint { text += "\n    hint: \(hint)" }
        return text
    }

    public var description: String { formatted(file: "<workflow>") }
}
