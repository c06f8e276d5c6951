import Foundation
import WorkflowJSON

extension Evaluator {
    /// Calls a built-in function on already evaluated arguments (arity was checked by the parser).
    mutating func call(_ function: BuiltinFunction, _ arguments: [JSONValue], offset: Int) throws(ExpressionError) -> JSONValue {
        switch function {
        case .size: return try size(arguments[0], offset: offset)
        case .contains:
            return .bool(try contains(arguments[0], arguments[1], operation: "`contains`", offset: offset))
        case .startsWith, .endsWith:
            let (text, affix) = try strings(function, arguments, offset: offset)
            try chargeWork(affix.utf8.count, at: offset)
            return .bool(function == .startsWith ? text.hasPrefix(affix) : text.hasSuffix(affix))
        case .matches:
            let (text, pattern) = try strings(function, arguments, offset: offset)
            try chargeWork(text.utf8.count * 4, at: offset)
            return .bool(try RegexMatcher.matches(text, pattern: pattern, offset: offset, timeLeft: &regexTimeLeft))
        case .lower, .upper:
            guard case .string(let text) = arguments[0] else { throw argumentType(function, "a string", arguments[0], offset) }
            try chargeWork(text.utf8.count, at: offset)
            let result = function == .lower ? text.lowercased() : text.uppercased()
            try checkSize(result.utf8.count, "string", at: offset)
            return .string(result)
        case .int: return .integer(try Self.integer(arguments[0], offset: offset))
        case .double: return .double(try Self.double(arguments[0], offset: offset))
        case .string:
            if case .string = arguments[0] { return arguments[0] }
            let text = try limits.encode(arguments[0], at: offset)
            try chargeWork(text.utf8.count, at: offset)
            try checkSize(text.utf8.count, "string", at: offset)
            return .string(text)
        case .now:
            return .string(scope.now.formatted(Date.ISO8601FormatStyle()))
        }
    }

    private mutating func size(_ value: JSONValue, offset: Int) throws(ExpressionError) -> JSONValue {
        switch value {
        case .string(let text):
            try chargeWork(text.utf8.count, at: offset)
            return .integer(text.count)
        case .array(let array): return .integer(array.count)
        case .object(let object): return .integer(object.count)
        default: throw argumentType(.size, "a string, list or map", value, offset)
        }
    }

    private func strings(_ function: BuiltinFunction, _ arguments: [JSONValue], offset: Int) throws(ExpressionError) -> (String, String) {
        guard case .string(let first) = arguments[0] else { throw argumentType(function, "strings", arguments[0], offset) }
        guard case .string(let second) = arguments[1] else { throw argumentType(function, "strings", arguments[1], offset) }
        return (first, second)
    }

    private func argumentType(_ function: BuiltinFunction, _ expected: String, _ value: JSONValue, _ offset: Int) -> ExpressionError {
        ExpressionError(code: .type, message: "`\(function.rawValue)` needs \(expected), got \(value.typeName)", offset: offset)
    }

    private static func integer(_ value: JSONValue, offset: Int) throws(ExpressionError) -> Int {
        switch value {
        case .integer(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .double(let number):
            guard let converted = Int(exactly: number.rounded(.towardZero)) else {
                throw conversion(value, to: "int", offset: offset)
            }
            return converted
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let number = Int(trimmed) { return number }
            if let number = Double(trimmed), let converted = Int(exactly: number.rounded(.towardZero)) { return converted }
            throw conversion(value, to: "int", offset: offset)
        default:
            throw conversion(value, to: "int", offset: offset)
        }
    }

    private static func double(_ value: JSONValue, offset: Int) throws(ExpressionError) -> Double {
        switch value {
        case .integer(let number): return Double(number)
        case .double(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .string(let text):
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite else {
                throw conversion(value, to: "double", offset: offset)
            }
            return number
        default:
            throw conversion(value, to: "double", offset: offset)
        }
    }

    private static func conversion(_ value: JSONValue, to type: String, offset: Int) -> ExpressionError {
        let shown: String
        if case .string(let text) = value {
            shown = "the string \"\(text.prefix(40))\""
        } else {
            shown = "a \(value.typeName)"
        }
        return ExpressionError(code: .conversion, message: "cannot convert \(shown) to \(type)", offset: offset)
    }
}
