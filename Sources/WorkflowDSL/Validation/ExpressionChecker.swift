import WorkflowExpressions

/// Checks that every expression (`when`, `about`, `items`, `until`) and every `${...}` template parses,
/// stays within the length limit, and reads secrets only as a whole `${secret.NAME}`.
struct ExpressionChecker {
    let context: ValidationContext

    private var limits: ExpressionLimits {
        ExpressionLimits(maxLength: context.options.limits.maxExpressionLength)
    }

    /// The expression fields of `state`.
    func check(_ state: StateDefinition, path: String) {
        switch state.kind {
        case .choice(let choice):
            for (index, rule) in choice.choices.enumerated() {
                for (field, expression) in [("when", rule.when), ("about", rule.about)] {
                    guard let expression else { continue }
                    let fieldPath = FieldPath.join(path, "choices[\(index)].\(field)")
                    if expression.allSatisfy(\.isWhitespace) {
                        context.report("invalid_expression", "`\(field)` is empty", path: fieldPath, hint: "an expression, like `order.total > 100`")
                    }
                    checkExpression(expression, path: fieldPath)
                }
            }
        case .map(let map):
            checkExpression(map.items, path: FieldPath.join(path, "items"))
        case .wait(let wait):
            if let until = wait.until { checkExpression(until, path: FieldPath.join(path, "until")) }
        default:
            break
        }
        for field in TextField.all(in: state, path: path) where !Template.isPlain(field.text) {
            checkTemplate(field.text, path: field.path)
        }
    }

    private func fitsLimit(_ text: String, path: String) -> Bool {
        let maximum = context.options.limits.maxExpressionLength
        guard text.count > maximum else { return true }
        context.report("expression_too_long", "this expression is \(text.count) characters long; the limit is \(maximum) (maxExpressionLength)",
                       path: path, hint: "move the logic into a handler, or raise ValidationLimits.maxExpressionLength")
        return false
    }

    private func checkExpression(_ text: String, path: String) {
        guard !text.isEmpty, fitsLimit(text, path: path) else { return }
        do throws(ExpressionError) {
            let expression = try Expression(parsing: text, limits: limits)
            if expression.referencedRoots.contains("secret") {
                context.report("secret_misuse", "expressions cannot read secrets", path: path,
                               hint: "secrets are only substituted into callback fields, as a whole `${secret.NAME}`")
            }
        } catch {
            report(error, in: text, path: path, kind: "expression")
        }
    }

    private func checkTemplate(_ text: String, path: String) {
        guard fitsLimit(text, path: path) else { return }
        do throws(ExpressionError) {
            let template = try Template(parsing: text, limits: limits)
            for expression in template.expressions where expression.referencedRoots.contains("secret") && !Self.isSecretReference(expression.source) {
                context.report("secret_misuse", "`${\(expression.source)}` uses a secret inside a larger expression", path: path,
                               hint: "a secret must be a whole `${secret.NAME}` part, e.g. \"Bearer ${secret.API_TOKEN}\"")
            }
        } catch {
            report(error, in: text, path: path, kind: "template")
        }
    }

    private func report(_ error: ExpressionError, in text: String, path: String, kind: String) {
        context.report("invalid_\(kind)", "invalid \(kind) `\(text)`: \(error.message) (at character \(error.offset + 1))", path: path,
                       offset: error.offset)
    }

    /// `true` for exactly `secret.NAME` (spaces around allowed).
    static func isSecretReference(_ source: String) -> Bool {
        let trimmed = source.trimmingSpaces()
        guard trimmed.hasPrefix("secret.") else { return false }
        let name = trimmed.dropFirst("secret.".count)
        return !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}
