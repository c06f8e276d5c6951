import Foundation
import WorkflowJSON

extension HandlerRegistry {
    /// A registry with the built-in handlers that every worker (and `lazyrabbit run`) offers:
    ///
    /// | name | input | result |
    /// | --- | --- | --- |
    /// | `echo` | anything | the input |
    /// | `uuid` | ignored | a random UUID string |
    /// | `sum` | `{values: [numbers]}` | their sum |
    /// | `count` | `{values: [..]}` | the number of values |
    /// | `flaky` | `{fail_times: N, error?: CLASS}` | fails the first N attempts with CLASS (default `flaky`), then `{attempts: n}` |
    /// | `fail` | `{error: CLASS, message?: TEXT}` | always fails with CLASS |
    public static var builtins: HandlerRegistry {
        var registry = HandlerRegistry()
        registry.register("echo") { input, _ in input }
        registry.register("uuid") { _, _ in .string(UUID().uuidString.lowercased()) }
        registry.register("sum") { input, _ in
            let values = try numbers(in: input)
            if let total = integerSum(of: values) { return .integer(total) }
            return .double(values.reduce(0) { $0 + ($1.doubleValue ?? 0) })
        }
        registry.register("count") { input, _ in
            guard let values = input["values"]?.arrayValue else { throw HandlerError("invalid_input", "`count` needs {values: [...]}") }
            return .integer(values.count)
        }
        registry.register("flaky") { input, context in
            guard case .integer(let failTimes) = input["fail_times"] ?? .integer(1) else {
                throw HandlerError("invalid_input", "`flaky` needs {fail_times: N}")
            }
            if context.attempt <= failTimes {
                let attempts = failTimes == .max ? "every attempt" : "\(failTimes + 1)"
                throw HandlerError(input["error"]?.stringValue ?? "flaky", "attempt \(context.attempt) of \(attempts) fails on purpose")
            }
            return ["attempts": .integer(context.attempt)]
        }
        registry.register("fail") { input, _ in
            throw HandlerError(input["error"]?.stringValue ?? "handler_error", input["message"]?.stringValue ?? "failed on purpose")
        }
        return registry
    }

    /// The exact sum of `values` when all are integers and it fits in an `Int`; `nil` otherwise
    /// (the sum is then a `double`).
    private static func integerSum(of values: [JSONValue]) -> Int? {
        var total = 0
        for value in values {
            guard case .integer(let number) = value else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(number)
            guard !overflow else { return nil }
            total = sum
        }
        return total
    }

    private static func numbers(in input: JSONValue) throws -> [JSONValue] {
        guard let values = input["values"]?.arrayValue, values.allSatisfy({ $0.doubleValue != nil }) else {
            throw HandlerError("invalid_input", "`sum` needs {values: [numbers]}")
        }
        return values
    }
}
