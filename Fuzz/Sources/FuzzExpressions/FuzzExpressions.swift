import Foundation
import WorkflowExpressions
import WorkflowJSON

/// The scope every fuzzed expression runs in: `input`, `context` (with nested maps and lists),
/// `item` and `index`, as inside a map iteration, plus a `secret` root so secret paths are reachable
/// when secrets are not preserved.
let scope = EvaluationScope(
    variables: [
        "input": .object([
            "name": .string("Ada"), "total": .integer(250), "ratio": .double(0.5), "vip": .bool(true),
            "tags": .array([.string("new"), .string("vip")]), "note": .null,
            "text": .string(String(repeating: "ab", count: 64)),
        ]),
        "context": .object([
            "validation": .object(["tier": .string("gold"), "score": .double(9.5), "ok": .bool(true)]),
            "items": .array([
                .object(["sku": .string("A-1"), "qty": .integer(2), "price": .double(9.99)]),
                .object(["sku": .string("B-2"), "qty": .integer(1), "nested": .array([.integer(1), .array([.null])])]),
            ]),
            "count": .integer(-3),
            "empty": .object([:]),
        ]),
        "item": .object(["id": .integer(7), "label": .string("seven"), "children": .array([.integer(1), .integer(2)])]),
        "index": .integer(1),
        "secret": .object(["TOKEN": .string("s3cr3t")]),
    ],
    now: Date(timeIntervalSince1970: 1_714_979_289))

/// libFuzzer entry point: the bytes (as UTF-8; other input is skipped) are parsed as an expression
/// and evaluated, then parsed as a template and rendered both preserving and resolving secrets,
/// all under the default ``ExpressionLimits``.
///
/// Any thrown ``ExpressionError`` is an accepted outcome; a crash, a hang or unbounded memory is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let source = String(validating: bytes, as: UTF8.self) else { return -1 }
    if let expression = try? Expression(parsing: source) {
        _ = expression.referencedRoots
        _ = try? expression.evaluate(in: scope)
    }
    if let template = try? Template(parsing: source) {
        _ = try? template.render(in: scope)
        _ = try? template.render(in: scope, preservingSecrets: false)
    }
    _ = Template.secretReferences(in: source)
    return 0
}
