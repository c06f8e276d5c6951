import WorkflowDSL

/// libFuzzer entry point: loads the bytes as a workflow document (YAML or JSON) and, when it is a
/// valid definition, renders it as a Mermaid diagram.
///
/// Diagnostics are the expected outcome for malformed input; only a crash, a hang or unbounded
/// memory is a finding. Bytes that are not UTF-8 are skipped (the loader takes a `String`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let source = String(validating: bytes, as: UTF8.self) else { return -1 }
    let result = WorkflowDocument.load(source)
    if result.isValid, let definition = result.definition {
        _ = MermaidRenderer.render(definition)
    }
    return 0
}
