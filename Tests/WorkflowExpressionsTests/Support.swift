import Foundation
import WorkflowExpressions
import WorkflowJSON

/// A fixed instant: 2024-05-06T07:08:09Z.
let fixedNow = Date(timeIntervalSince1970: 1_714_979_289)

/// A scope with `input`, `context` and `secret` roots shaped like a real workflow's.
let sampleScope = EvaluationScope(
    variables: [
        "input": ["total": 250, "price": 19.5, "name": "Ada", "tags": ["new", "vip"], "empty": "", "nothing": nil],
        "context": ["validation": ["tier": "gold", "score": 7], "items": [["sku": "A1"], ["sku": "B2"]]],
        "secret": ["TOKEN": "s3cr3t"],
    ],
    now: fixedNow)

/// Parses and evaluates `source` against `scope`.
func evaluate(_ source: String, in scope: EvaluationScope = sampleScope, limits: ExpressionLimits = .default) throws(ExpressionError) -> JSONValue {
    try Expression(parsing: source, limits: limits).evaluate(in: scope, limits: limits)
}

/// The error parsing or evaluating `source` throws, or `nil` when it succeeds.
func failure(_ source: String, in scope: EvaluationScope = sampleScope, limits: ExpressionLimits = .default) -> ExpressionError? {
    do {
        _ = try evaluate(source, in: scope, limits: limits)
        return nil
    } catch {
        return error
    }
}

/// The error parsing or rendering a template throws, or `nil` when it succeeds.
func templateFailure(_ source: String, in scope: EvaluationScope = sampleScope, limits: ExpressionLimits = .default) -> ExpressionError? {
    do {
        _ = try Template(parsing: source, limits: limits).render(in: scope, limits: limits)
        return nil
    } catch {
        return error
    }
}
