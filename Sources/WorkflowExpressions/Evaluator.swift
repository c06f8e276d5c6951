import WorkflowJSON

/// Walks a syntax tree, charging one step per node and more for work proportional to value sizes.
struct Evaluator {
    let scope: EvaluationScope
    let limits: ExpressionLimits
    private(set) var steps = 0
    /// The shared pool this evaluation also draws on (``ExpressionAllowance/spending(_:)``), if any.
    private let allowance: ExpressionAllowance?
    /// The steps this evaluation may take: its own budget, or what the pool has left when less.
    private let stepLimit: Int
    /// What is left of ``RegexMatcher/timeAllowance`` (or of the pool, when less) for this
    /// evaluation's `matches()` calls.
    var regexTimeLeft: Duration
    private let regexTimeGiven: Duration

    init(scope: EvaluationScope, limits: ExpressionLimits) {
        self.scope = scope
        self.limits = limits
        allowance = ExpressionAllowance.current
        stepLimit = min(limits.stepBudget, allowance?.remainingSteps ?? .max)
        regexTimeGiven = min(RegexMatcher.timeAllowance, allowance?.remainingRegexTime ?? RegexMatcher.timeAllowance)
        regexTimeLeft = regexTimeGiven
    }

    /// Hands what this evaluation used to the shared pool; called once, when it ends. A charge that
    /// broke the limit is not spent (it may stand for far more work than was done).
    func settle() {
        allowance?.spend(steps: min(steps, stepLimit), regexTime: regexTimeGiven - regexTimeLeft)
    }

    /// Evaluates `node` to a value.
    mutating func evaluate(_ node: ExpressionNode) throws(ExpressionError) -> JSONValue {
        try charge(1, at: node.offset)
        switch node {
        case .literal(let value, _):
            return value
        case .list(let elements, _):
            var values: [JSONValue] = []
            values.reserveCapacity(elements.count)
            for element in elements { values.append(try evaluate(element)) }
            return .array(values)
        case .map(let entries, _):
            var object: [String: JSONValue] = [:]
            for entry in entries {
                let key = try evaluate(entry.key)
                guard case .string(let name) = key else {
                    throw ExpressionError(code: .type, message: "map keys must be strings, not \(key.typeName)", offset: entry.offset)
                }
                object[name] = try evaluate(entry.value)
            }
            return .object(object)
        case .variable(let name, let offset):
            return try variable(name, offset: offset)
        case .member(let base, let name, let offset):
            return try member(try evaluate(base), name, offset: offset)
        case .index(let base, let subscriptNode, let offset):
            let container = try evaluate(base)
            return try index(container, try evaluate(subscriptNode), offset: offset)
        case .unary(let op, let operand, let offset):
            return try unary(op, try evaluate(operand), offset: offset)
        case .binary(.and, let left, let right, let offset):
            guard try bool(try evaluate(left), "&&", offset: offset) else { return .bool(false) }
            return .bool(try bool(try evaluate(right), "&&", offset: offset))
        case .binary(.or, let left, let right, let offset):
            if try bool(try evaluate(left), "||", offset: offset) { return .bool(true) }
            return .bool(try bool(try evaluate(right), "||", offset: offset))
        case .binary(let op, let left, let right, let offset):
            let lhs = try evaluate(left)
            return try binary(op, lhs, try evaluate(right), offset: offset)
        case .conditional(let condition, let then, let otherwise, let offset):
            let test = try evaluate(condition)
            guard case .bool(let chosen) = test else {
                throw ExpressionError(
                    code: .type, message: "the condition of `? :` must be bool, got \(test.typeName)", offset: offset)
            }
            return try evaluate(chosen ? then : otherwise)
        case .call(let function, let arguments, let offset):
            var values: [JSONValue] = []
            values.reserveCapacity(arguments.count)
            for argument in arguments { values.append(try evaluate(argument)) }
            return try call(function, values, offset: offset)
        }
    }

    /// Spends `cost` steps, failing once the budget is gone.
    mutating func charge(_ cost: Int, at offset: Int) throws(ExpressionError) {
        steps += cost
        guard steps <= stepLimit else {
            if let allowance, stepLimit < limits.stepBudget {
                throw ExpressionError(
                    code: .budgetExceeded,
                    message: "the expressions of this step of the execution used up the \(allowance.steps) evaluation steps they share; "
                        + "run fewer at once (a smaller map or max_concurrency) or make them cheaper",
                    offset: offset)
            }
            throw ExpressionError(
                code: .budgetExceeded,
                message: "expression needs more than \(limits.stepBudget) evaluation steps; simplify it or work on smaller values",
                offset: offset)
        }
    }

    /// Charges for work over `size` bytes or elements: one step per 256.
    mutating func chargeWork(_ size: Int, at offset: Int) throws(ExpressionError) {
        try charge(size / 256, at: offset)
    }

    /// Charges for comparing `value`, `times` times, with lists or maps of its own shape: one step
    /// per 256 bytes it would write. Values share their storage, so a list of many copies of one
    /// large value is cheap to build but not to compare; it is measured only up to what the
    /// remaining budget can pay.
    mutating func chargeComparison(of value: JSONValue, times: Int, at offset: Int) throws(ExpressionError) {
        switch value {
        case .array, .object:
            guard times > 0 else { return }
            let affordable = max(0, stepLimit - steps) * 256 / times
            var meter = ValueMeter(ValueLimits(maxBytes: affordable, maxDepth: JSONParser.maximumDepth))
            meter.add(value)
            try chargeWork(meter.breach == nil ? meter.bytes * times : Int.max / 2, at: offset)
        default:
            return
        }
    }

    /// Fails when a built string or list exceeds `limits.maxValueSize`.
    func checkSize(_ size: Int, _ what: String, at offset: Int) throws(ExpressionError) {
        guard size > limits.maxValueSize else { return }
        throw ExpressionError(
            code: .valueTooLarge, message: "\(what) would be \(size) long, more than the limit of \(limits.maxValueSize)",
            offset: offset)
    }

    private func variable(_ name: String, offset: Int) throws(ExpressionError) -> JSONValue {
        if let value = scope.variables[name] { return value }
        guard let fallback = scope.fallbackRoot, let root = scope.variables[fallback] else {
            let known = scope.variables.keys.sorted().map { "`\($0)`" }.joined(separator: ", ")
            throw ExpressionError(code: .unknownVariable, message: "unknown variable `\(name)`; known: \(known)", offset: offset)
        }
        return try member(root, name, offset: offset)
    }

    private func member(_ base: JSONValue, _ name: String, offset: Int) throws(ExpressionError) -> JSONValue {
        switch base {
        case .object(let object): return object[name] ?? .null
        case .null: return .null
        default:
            throw ExpressionError(code: .type, message: "cannot read field `\(name)` of a \(base.typeName)", offset: offset)
        }
    }

    private func index(_ base: JSONValue, _ key: JSONValue, offset: Int) throws(ExpressionError) -> JSONValue {
        switch (base, key) {
        case (.null, _):
            return .null
        case (.array(let array), .integer(let position)):
            guard position >= 0 else {
                throw ExpressionError(code: .type, message: "list index \(position) is negative", offset: offset)
            }
            return position < array.count ? array[position] : .null
        case (.array, _):
            throw ExpressionError(code: .type, message: "list index must be an int, not \(key.typeName)", offset: offset)
        case (.object(let object), .string(let name)):
            return object[name] ?? .null
        case (.object, _):
            throw ExpressionError(code: .type, message: "map key must be a string, not \(key.typeName)", offset: offset)
        default:
            throw ExpressionError(code: .type, message: "cannot index into a \(base.typeName)", offset: offset)
        }
    }

    private func bool(_ value: JSONValue, _ op: String, offset: Int) throws(ExpressionError) -> Bool {
        guard case .bool(let flag) = value else {
            throw ExpressionError(code: .type, message: "`\(op)` needs bool operands, got \(value.typeName)", offset: offset)
        }
        return flag
    }
}

extension ExpressionNode {
    /// The offset of the token this node came from.
    var offset: Int {
        switch self {
        case .literal(_, let offset), .list(_, let offset), .map(_, let offset), .variable(_, let offset), .member(_, _, let offset),
            .index(_, _, let offset), .unary(_, _, let offset), .binary(_, _, _, let offset),
            .conditional(_, _, _, let offset), .call(_, _, let offset):
            offset
        }
    }
}
