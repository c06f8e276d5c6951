import Yams

/// Composes YAML (or JSON) text into a node tree, turning Yams errors into diagnostics.
///
/// Yams refuses mappings with duplicate keys outright; to go on and report everything else,
/// the composer renames the second occurrence (found by ``DuplicateKeyLocator``) to a
/// placeholder that the parser reports as a duplicate, and composes again.
enum YAMLComposer {
    struct Result {
        var root: Node?
        /// Kept alive while the tree is walked: node anchors are weak references it owns.
        var parser: Parser?
        var diagnostics: [Diagnostic]
        var duplicates: [String: DuplicateKey]
    }

    /// How many duplicate keys are recovered before giving up.
    static let maxRecoveries = 100

    static func compose(_ source: String) -> Result {
        var text = source
        var duplicates: [String: DuplicateKey] = [:]
        while true {
            do {
                let parser = try Parser(yaml: text)
                guard let root = try parser.singleRoot() else {
                    return Result(diagnostics: [Diagnostic(code: "empty_document", message: "the document is empty", path: "", at: nil,
                                                           hint: "a workflow needs at least `apiVersion`, `name`, `start` and `states`")],
                                  duplicates: duplicates)
                }
                return Result(root: root, parser: parser, diagnostics: [], duplicates: duplicates)
            } catch YamlError.duplicatedKeysInMapping(let keys, let context) {
                let first = SourcePosition(line: context.mark.line, column: context.mark.column)
                let key = keys.first ?? ""
                guard duplicates.count < maxRecoveries,
                    let placeholder = DuplicateKeyLocator.renameSecondOccurrence(of: key, firstAt: first, in: &text, index: duplicates.count)
                else {
                    return Result(diagnostics: [Diagnostic(code: "duplicate_key", message: "key `\(key)` appears twice in one mapping (first at line \(first.line))",
                                                           path: "", at: first)], duplicates: duplicates)
                }
                duplicates[placeholder.name] = DuplicateKey(name: key, first: first, second: placeholder.position)
            } catch let error as YamlError {
                return Result(diagnostics: [diagnostic(for: error)], duplicates: duplicates)
            } catch {
                return Result(diagnostics: [Diagnostic(code: "yaml_syntax", message: "\(error)", path: "", at: nil)], duplicates: duplicates)
            }
        }
    }

    /// A `yaml_syntax` diagnostic with the line and column libyaml reported.
    static func diagnostic(for error: YamlError) -> Diagnostic {
        func make(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> Diagnostic {
            let message = "YAML syntax error: \(problem)" + (context.map { " \($0.text) (line \($0.mark.line))" } ?? "")
            return Diagnostic(code: "yaml_syntax", message: message, path: "", at: SourcePosition(line: mark.line, column: mark.column),
                              hint: "check indentation, quotes and brackets around this position")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return make(context, problem, mark)
        case .reader(let problem, _, _, _):
            return Diagnostic(code: "yaml_syntax", message: "the document is not valid text: \(problem)", path: "", at: nil)
        default:
            return Diagnostic(code: "yaml_syntax", message: "YAML error: \(error)", path: "", at: nil)
        }
    }
}
