public import Foundation
public import WorkflowDSL

/// The workflows a process knows by name, for `workflow` (child) callbacks.
public struct WorkflowCatalog: Sendable {
    /// One known workflow.
    public struct Entry: Sendable {
        public var definition: WorkflowDefinition
        public var source: String

        public init(definition: WorkflowDefinition, source: String) {
            self.definition = definition
            self.source = source
        }
    }

    public private(set) var entries: [String: Entry] = [:]
    /// Where names not in ``entries`` are looked up (`lazyrabbit dev`: the stored workflows).
    public var fallback: (@Sendable (String) async throws -> Entry?)?

    public init() {}

    /// Adds a validated definition under its name.
    public mutating func add(_ definition: WorkflowDefinition, source: String) {
        entries[definition.name] = Entry(definition: definition, source: source)
    }

    public func entry(named name: String) -> Entry? { entries[name] }

    /// The workflow named `name`: a known entry, else what ``fallback`` finds.
    public func resolve(_ name: String) async throws -> Entry? {
        if let entry = entries[name] { return entry }
        return try await fallback?(name)
    }

    /// A catalog of every valid workflow file (`.yaml`, `.yml`, `.json`) in `directory`; invalid files are skipped.
    public static func directory(_ directory: URL, options: ValidationOptions) -> WorkflowCatalog {
        var catalog = WorkflowCatalog()
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        for file in files.sorted(by: { $0.path < $1.path }) where ["yaml", "yml", "json"].contains(file.pathExtension.lowercased()) {
            guard let source = try? String(contentsOf: file, encoding: .utf8) else { continue }
            let document = WorkflowDocument.load(source, options: options)
            if let definition = document.definition, document.isValid {
                catalog.add(definition, source: source)
            }
        }
        return catalog
    }
}
