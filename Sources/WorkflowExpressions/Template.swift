public import WorkflowJSON

/// A string with `${...}` expressions in it.
///
/// A template that is exactly one `${expr}` renders to the expression's value with its type;
/// anything else renders to a string with each value interpolated (strings as they are, `null` as
/// nothing, other values as JSON text). `$${` writes a literal `${`.
public struct Template: Sendable {
    /// A piece of a template: literal text or an embedded expression.
    enum Part: Sendable {
        case text(String)
        case expression(Expression)
    }

    /// The template text as written.
    public let source: String
    private let parts: [Part]

    /// Parses `source`; errors carry offsets into `source`, and each `${...}` obeys `limits`.
    public init(parsing source: String, limits: ExpressionLimits = .default) throws(ExpressionError) {
        self.source = source
        self.parts = try TemplateScanner(source: source, limits: limits).parts()
    }

    /// `true` when the string contains no `${`.
    public static func isPlain(_ text: String) -> Bool { !text.contains("${") }

    /// The expressions inside, in order.
    public var expressions: [Expression] {
        parts.compactMap { part in
            guard case .expression(let expression) = part else { return nil }
            return expression
        }
    }

    /// Renders against `scope`. With `preservingSecrets`, `${secret.NAME}` parts stay as written
    /// (workers substitute them at call time, so secrets never enter a context or a log).
    public func render(in scope: EvaluationScope, preservingSecrets: Bool = true, limits: ExpressionLimits = .default) throws(ExpressionError) -> JSONValue {
        if parts.count == 1, case .expression(let expression) = parts[0],
            !(preservingSecrets && expression.secretName != nil)
        {
            try Self.checkNoSecretUse(expression, preservingSecrets: preservingSecrets)
            return try expression.evaluate(in: scope, limits: limits)
        }
        var text = ""
        for part in parts {
            switch part {
            case .text(let literal):
                text += literal
            case .expression(let expression):
                if preservingSecrets, let name = expression.secretName {
                    text += "${secret.\(name)}"
                    continue
                }
                try Self.checkNoSecretUse(expression, preservingSecrets: preservingSecrets)
                switch try expression.evaluate(in: scope, limits: limits) {
                case .null: break
                case .string(let string): text += string
                case let value: text += try limits.encode(value, at: 0)
                }
            }
            guard text.utf8.count <= limits.maxValueSize else {
                throw ExpressionError(
                    code: .valueTooLarge, message: "rendered template is longer than the limit of \(limits.maxValueSize)",
                    offset: 0)
            }
        }
        return .string(text)
    }

    /// While secrets are preserved, `secret` may only appear as a whole `${secret.NAME}` part, so a
    /// secret can never be computed into a value that lands in a context or a log.
    private static func checkNoSecretUse(_ expression: Expression, preservingSecrets: Bool) throws(ExpressionError) {
        guard preservingSecrets, expression.referencedRoots.contains("secret") else { return }
        throw ExpressionError(
            code: .syntax, message: "a secret can only be used as a whole `${secret.NAME}` part, not inside an expression",
            offset: expression.offset)
    }

    /// Renders every string inside `value` (object members, list elements) as a template.
    ///
    /// Object keys are not templated; strings without `${` are returned untouched.
    public static func renderValue(_ value: JSONValue, in scope: EvaluationScope, preservingSecrets: Bool = true, limits: ExpressionLimits = .default) throws(ExpressionError) -> JSONValue {
        switch value {
        case .string(let text):
            guard !isPlain(text) else { return value }
            return try Template(parsing: text, limits: limits).render(in: scope, preservingSecrets: preservingSecrets, limits: limits)
        case .array(let elements):
            var rendered: [JSONValue] = []
            rendered.reserveCapacity(elements.count)
            for element in elements {
                rendered.append(try renderValue(element, in: scope, preservingSecrets: preservingSecrets, limits: limits))
            }
            return .array(rendered)
        case .object(let members):
            var rendered: [String: JSONValue] = [:]
            for (key, member) in members {
                rendered[key] = try renderValue(member, in: scope, preservingSecrets: preservingSecrets, limits: limits)
            }
            return .object(rendered)
        default:
            return value
        }
    }

    /// The `NAME`s of every `${secret.NAME}` in `text`, in order of first appearance, without repeats.
    ///
    /// Workers call this on rendered text (where secrets were preserved) to know what to substitute.
    public static func secretReferences(in text: String) -> [String] {
        let prefix = Array("${secret.")
        let characters = Array(text)
        var names: [String] = []
        var position = 0
        while position + prefix.count < characters.count {
            guard characters[position..<position + prefix.count].elementsEqual(prefix) else {
                position += 1
                continue
            }
            var end = position + prefix.count
            while end < characters.count, characters[end] == "_" || characters[end].isLetter || characters[end].isNumber {
                end += 1
            }
            if end > position + prefix.count, end < characters.count, characters[end] == "}" {
                let name = String(characters[(position + prefix.count)..<end])
                if !names.contains(name) { names.append(name) }
            }
            position = end
        }
        return names
    }
}
