public import Foundation
public import LazyRabbitCoordinator
public import WorkflowDSL

/// The workflows a process knows by name, for `workflow` (child) callbacks.
public struct WorkflowCatalog: Sendable {
    public private(set) var entries: [String: ChildWorkflow.Definition] = [:]
    /// Where names not in ``entries`` are looked up, given the name and the parent execution's
    /// owner (`lazyrabbit dev`: the owner's stored workflows).
    public var fallback: (@Sendable (_ name: String, _ owner: String?) async throws -> ChildWorkflow.Definition?)?

    public init() {}

    /// Adds a validated definition under its name.
    public mutating func add(_ definition: WorkflowDefinition, source: String) {
        entries[definition.name] = ChildWorkflow.Definition(definition: definition, source: source)
    }

    /// The workflow named `name` for a parent owned by `owner`: a known entry, else what ``fallback`` finds.
    public func resolve(_ name: String, owner: String?) async throws -> ChildWorkflow.Definition? {
        if let entry = entries[name] { return entry }
        return try await fallback?(name, owner)
    }

    /// A catalog of every valid workflow file (`.yaml`, `.yml`, `.json`) in `directory`, checked as
    /// children are run (``WorkflowDSL/ValidationOptions/forRunning``); invalid files are skipped.
    public static func directory(_ directory: URL, options: ValidationOptions) -> WorkflowCatalog {
        var catalog = WorkflowCatalog()
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        for file in files.sorted(by: { $0.path < $1.path }) where ["yaml", "yml", "json"].contains(file.pathExtension.lowercased()) {
            guard let source = try? String(contentsOf: file, encoding: .utf8) else { continue }
            let document = WorkflowDocument.load(source, options: options.forRunning)
            if let definition = document.definition, document.isValid {
                catalog.add(definition, source: source)
            }
        }
        return catalog
    }
}
