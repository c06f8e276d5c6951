import Yams

/// The state shared by one parse: diagnostics collected so far, the source map, and the
/// bookkeeping that keeps aliases and recovered duplicate keys from being read twice.
final class ParseContext {
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var sourceMap = SourceMap()
    /// Paths of states whose type could not be read; later checks skip their type-specific rules.
    var brokenStates: Set<String> = []
    /// Duplicate keys that were renamed so that parsing could go on, by placeholder.
    private let recoveredDuplicates: [String: DuplicateKey]
    private var reportedAnchors: Set<String> = []
    private var readAnchors: Set<String> = []

    init(recoveredDuplicates: [String: DuplicateKey]) {
        self.recoveredDuplicates = recoveredDuplicates
    }

    /// Records an error at `node`'s position.
    func report(_ code: String, _ message: String, path: String, at node: Node?, hint: String? = nil) {
        diagnostics.append(Diagnostic(code: code, message: message, path: path, at: node.flatMap(Self.position), hint: hint))
    }

    /// Records an error at an explicit position.
    func report(_ code: String, _ message: String, path: String, position: SourcePosition?, hint: String? = nil) {
        diagnostics.append(Diagnostic(code: code, message: message, path: path, at: position, hint: hint))
    }

    /// Remembers where `path` was written.
    func record(_ path: String, _ node: Node) {
        sourceMap.record(path, Self.position(of: node), textStart: Self.textStart(of: node))
    }

    /// Where the text of a plain or quoted scalar starts; `nil` for block scalars and multi-line
    /// text, where offsets do not map to one line.
    private static func textStart(of node: Node) -> SourcePosition? {
        guard case .scalar(let scalar) = node, !scalar.string.contains("\n"), let position = position(of: node) else { return nil }
        switch scalar.style {
        case .plain: return position
        case .singleQuoted, .doubleQuoted: return SourcePosition(line: position.line, column: position.column + 1)
        default: return nil
        }
    }

    static func position(of node: Node) -> SourcePosition? {
        node.mark.map { SourcePosition(line: $0.line, column: $0.column) }
    }

    /// Reports every anchor of the document once. Aliases are refused: they allow exponential
    /// expansion ("billion laughs"). The walk does not enter a node a second time.
    func refuseAnchors(in node: Node, path: String = "") {
        if let anchor = node.anchor {
            guard reportedAnchors.insert(anchor.rawValue).inserted else { return }
            report(
                "alias_not_allowed", "anchors and aliases (`&\(anchor.rawValue)` / `*\(anchor.rawValue)`) are not allowed",
                path: path, at: node, hint: "aliases allow exponential expansion (\"billion laughs\"); write the value out where it is needed")
        }
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping { refuseAnchors(in: value, path: FieldPath.join(path, key.scalar?.string ?? "?")) }
        case .sequence(let sequence):
            for (index, element) in sequence.enumerated() { refuseAnchors(in: element, path: FieldPath.index(path, index)) }
        default:
            break
        }
    }

    /// `false` for the copies aliases made of an anchored node: only its first sighting is read,
    /// so a document full of aliases cannot expand while it is walked.
    func admits(_ node: Node, path: String) -> Bool {
        guard let anchor = node.anchor else { return true }
        return readAnchors.insert(anchor.rawValue).inserted
    }

    /// The recovered duplicate behind `key`, when `key` is a placeholder the recovery inserted.
    func duplicate(for key: String) -> DuplicateKey? { recoveredDuplicates[key] }

    /// Reads `node` as a mapping with known `fields`, reporting wrong types, unknown fields
    /// (with did-you-mean hints) and duplicate keys. `owner` names the mapping in messages.
    func mapping(_ node: Node, path: String, owner: String, fields: [String]?) -> MappingReader? {
        guard case .mapping(let mapping) = node else {
            report("invalid_type", "\(owner) must be a mapping, got \(Self.typeName(of: node))", path: path, at: node)
            return nil
        }
        record(path, node)
        var entries: [MappingReader.Entry] = []
        var firstSeen: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard admits(keyNode, path: path) else { continue }
            guard case .scalar(let scalar) = keyNode else {
                report("invalid_type", "keys in \(owner) must be strings", path: path, at: keyNode)
                continue
            }
            let key = scalar.string
            if let duplicate = duplicate(for: key) {
                reportDuplicate(duplicate.name, in: path, owner: owner, first: duplicate.first, at: duplicate.second)
                continue
            }
            if let first = firstSeen[key] {
                reportDuplicate(key, in: path, owner: owner, first: Self.position(of: first), at: Self.position(of: keyNode))
                continue
            }
            firstSeen[key] = keyNode
            let childPath = FieldPath.join(path, key)
            if let fields, !fields.contains(key) {
                report("unknown_field", "unknown field `\(key)` in \(owner)", path: childPath, at: keyNode,
                       hint: Suggestion.hint(for: key, in: fields))
                continue
            }
            guard admits(value, path: childPath) else { continue }
            // Containers (a state, `retry`, `choices`) are located by their key, scalars by their value.
            if case .scalar = value { record(childPath, value) } else { record(childPath, keyNode) }
            entries.append(.init(key: key, value: value, path: childPath))
        }
        return MappingReader(context: self, path: path, owner: owner, node: node, entries: entries)
    }

    private func reportDuplicate(_ key: String, in mappingPath: String, owner: String, first: SourcePosition?, at position: SourcePosition?) {
        let firstText = first.map { " (first at line \($0.line))" } ?? ""
        let path = FieldPath.join(mappingPath, key)
        if mappingPath == "states" || mappingPath.hasSuffix(".states") {
            report("duplicate_state", "state `\(key)` is defined twice\(firstText)", path: path, position: position)
        } else {
            report("duplicate_key", "field `\(key)` appears twice in \(owner)\(firstText)", path: path, position: position)
        }
    }

    /// The DSL-facing name of a node's type, for "must be X, got Y" messages.
    static func typeName(of node: Node) -> String {
        switch node {
        case .mapping: "mapping"
        case .sequence: "list"
        case .alias: "alias"
        case .scalar:
            switch node.tagName {
            case .null: "null"
            case .bool: "boolean"
            case .int: "integer"
            case .float: "number"
            default: "string"
            }
        }
    }
}

/// A mapping key that appeared twice; the second occurrence was renamed so the rest could be parsed.
struct DuplicateKey: Sendable {
    var name: String
    var first: SourcePosition
    var second: SourcePosition
}

extension Node {
    /// The resolved tag's name (`Tag.name` itself is not public).
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
