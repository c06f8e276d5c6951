import WorkflowJSON

extension Evaluator {
    /// Applies a prefix operator.
    func unary(_ op: UnaryOperator, _ value: JSONValue, offset: Int) throws(ExpressionError) -> JSONValue {
        switch (op, value) {
        case (.not, .bool(let flag)): return .bool(!flag)
        case (.negate, .integer(let number)):
            guard number != .min else { throw overflow("-", offset) }
            return .integer(-number)
        case (.negate, .double(let number)): return .double(-number)
        case (.not, _):
            throw ExpressionError(code: .type, message: "`!` needs a bool, got \(value.typeName)", offset: offset)
        case (.negate, _):
            throw ExpressionError(code: .type, message: "`-` cannot negate a \(value.typeName)", offset: offset)
        }
    }

    /// Applies an infix operator other than `&&` and `||` (which short-circuit in the evaluator).
    mutating func binary(_ op: BinaryOperator, _ lhs: JSONValue, _ rhs: JSONValue, offset: Int) throws(ExpressionError) -> JSONValue {
        switch op {
        case .add: return try add(lhs, rhs, offset: offset)
        case .subtract, .multiply, .divide, .remainder: return try arithmetic(op, lhs, rhs, offset: offset)
        case .less, .lessEqual, .greater, .greaterEqual:
            let order = try compare(op, lhs, rhs, offset: offset)
            switch op {
            case .less: return .bool(order < 0)
            case .lessEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case .equal, .notEqual:
            if lhs.typeName == rhs.typeName { try chargeComparison(of: lhs, times: 1, at: offset) }
            return .bool(Self.equal(lhs, rhs) == (op == .equal))
        case .contains: return .bool(try contains(rhs, lhs, operation: "`in`", offset: offset))
        case .and, .or:
            throw ExpressionError(code: .syntax, message: "`\(op.rawValue)` must short-circuit", offset: offset)
        }
    }

    /// Structural equality where an int equals the double of the same value.
    static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .double(let b)), (.double(let b), .integer(let a)): return Double(a) == b
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { equal(value, $0) } ?? false }
        default: return lhs == rhs
        }
    }

    /// Whether `container` holds `element`: list element, map key, or substring.
    mutating func contains(_ container: JSONValue, _ element: JSONValue, operation: String, offset: Int) throws(ExpressionError) -> Bool {
        switch (container, element) {
        case (.array(let array), _):
            try chargeWork(array.count * 16, at: offset)
            try chargeComparison(of: element, times: array.count, at: offset)
            return array.contains { Self.equal($0, element) }
        case (.object(let object), .string(let key)):
            return object[key] != nil
        case (.string(let text), .string(let part)):
            try chargeWork(text.utf8.count, at: offset)
            return part.isEmpty || text.contains(part)
        default:
            throw ExpressionError(
                code: .type,
                message: "\(operation) cannot look for a \(element.typeName) in a \(container.typeName); use a list, a map with string keys, or two strings",
                offset: offset)
        }
    }

    private mutating func add(_ lhs: JSONValue, _ rhs: JSONValue, offset: Int) throws(ExpressionError) -> JSONValue {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)):
            let size = a.utf8.count + b.utf8.count
            try checkSize(size, "string", at: offset)
            try chargeWork(size, at: offset)
            return .string(a + b)
        case (.array(let a), .array(let b)):
            let size = a.count + b.count
            try checkSize(size, "list", at: offset)
            try chargeWork(size * 16, at: offset)
            return .array(a + b)
        default:
            return try arithmetic(.add, lhs, rhs, offset: offset)
        }
    }

    private func arithmetic(_ op: BinaryOperator, _ lhs: JSONValue, _ rhs: JSONValue, offset: Int) throws(ExpressionError) -> JSONValue {
        if case .integer(let a) = lhs, case .integer(let b) = rhs {
            return .integer(try integerArithmetic(op, a, b, offset: offset))
        }
        guard let a = lhs.doubleValue, let b = rhs.doubleValue else {
            throw ExpressionError(
                code: .type, message: "`\(op.rawValue)` cannot \(Self.verb(op)) \(lhs.typeName) and \(rhs.typeName)", offset: offset)
        }
        let result: Double
        switch op {
        case .add: result = a + b
        case .subtract: result = a - b
        case .multiply: result = a * b
        case .divide:
            guard b != 0 else { throw divisionByZero(offset) }
            result = a / b
        default:
            guard b != 0 else { throw divisionByZero(offset) }
            result = a.truncatingRemainder(dividingBy: b)
        }
        guard result.isFinite else { throw overflow(op.rawValue, offset) }
        return .double(result)
    }

    private func integerArithmetic(_ op: BinaryOperator, _ a: Int, _ b: Int, offset: Int) throws(ExpressionError) -> Int {
        let (value, overflowed): (Int, Bool)
        switch op {
        case .add: (value, overflowed) = a.addingReportingOverflow(b)
        case .subtract: (value, overflowed) = a.subtractingReportingOverflow(b)
        case .multiply: (value, overflowed) = a.multipliedReportingOverflow(by: b)
        case .divide:
            guard b != 0 else { throw divisionByZero(offset) }
            (value, overflowed) = a.dividedReportingOverflow(by: b)
        default:
            guard b != 0 else { throw divisionByZero(offset) }
            (value, overflowed) = a.remainderReportingOverflow(dividingBy: b)
        }
        guard !overflowed else { throw overflow(op.rawValue, offset) }
        return value
    }

    private static func verb(_ op: BinaryOperator) -> String {
        switch op {
        case .add: "add"
        case .subtract: "subtract"
        case .multiply: "multiply"
        case .divide: "divide"
        default: "take the remainder of"
        }
    }

    private func compare(_ op: BinaryOperator, _ lhs: JSONValue, _ rhs: JSONValue, offset: Int) throws(ExpressionError) -> Int {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        default:
            if let a = lhs.doubleValue, let b = rhs.doubleValue { return a < b ? -1 : (a == b ? 0 : 1) }
            throw ExpressionError(
                code: .type, message: "`\(op.rawValue)` cannot compare \(lhs.typeName) and \(rhs.typeName)", offset: offset)
        }
    }

    private func overflow(_ op: String, _ offset: Int) -> ExpressionError {
        ExpressionError(code: .valueTooLarge, message: "`\(op)` overflows the range of numbers", offset: offset)
    }

    private func divisionByZero(_ offset: Int) -> ExpressionError {
        ExpressionError(code: .divisionByZero, message: "division by zero", offset: offset)
    }
}
