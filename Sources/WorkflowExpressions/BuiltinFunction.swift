/// The functions an expression may call. There is no other way to run code: no I/O, no environment.
enum BuiltinFunction: String, Sendable, CaseIterable {
    case size, contains, startsWith, endsWith, matches, lower, upper, int, double, string, now

    /// How many arguments the function takes (counting the receiver in `x.f(y)` style).
    var arity: ClosedRange<Int> {
        switch self {
        case .now: 0...0
        case .size, .lower, .upper, .int, .double, .string: 1...1
        case .contains, .startsWith, .endsWith, .matches: 2...2
        }
    }

    /// The arity in words, for error messages.
    var arityDescription: String {
        switch arity.lowerBound {
        case 0: "no arguments"
        case 1: "1 argument"
        default: "\(arity.lowerBound) arguments"
        }
    }

    /// Whether `x.f(...)` receiver syntax is allowed.
    var allowsReceiver: Bool {
        switch self {
        case .size, .contains, .startsWith, .endsWith, .matches, .lower, .upper: true
        case .int, .double, .string, .now: false
        }
    }

    /// Names people reach for from other languages, mapped to the function that does the job.
    private static let aliases: [String: BuiltinFunction] = [
        "length": .size, "len": .size, "count": .size, "includes": .contains, "has": .contains,
        "startswith": .startsWith, "hasPrefix": .startsWith, "endswith": .endsWith, "hasSuffix": .endsWith,
        "match": .matches, "regex": .matches, "test": .matches, "lowercase": .lower, "toLower": .lower,
        "toLowerCase": .lower, "uppercase": .upper, "toUpper": .upper, "toUpperCase": .upper,
        "integer": .int, "parseInt": .int, "float": .double, "parseFloat": .double, "str": .string,
        "toString": .string, "timestamp": .now,
    ]

    /// The function called `name`, or an error suggesting the closest real one.
    static func resolve(_ name: String, offset: Int, receiver: Bool) throws(ExpressionError) -> BuiltinFunction {
        if let function = BuiltinFunction(rawValue: name) {
            guard receiver, !function.allowsReceiver else { return function }
            throw ExpressionError(
                code: .syntax, message: "`\(name)` cannot be called as a method; write `\(name)(x)`", offset: offset)
        }
        var message = "unknown function `\(name)`"
        if let suggestion = suggestion(for: name) {
            message += "; did you mean `\(suggestion.rawValue)`?"
        } else {
            message += "; available: " + allCases.map(\.rawValue).joined(separator: ", ")
        }
        throw ExpressionError(code: .unknownFunction, message: message, offset: offset)
    }

    /// The function whose name or alias is within a small edit distance of `name`.
    static func suggestion(for name: String) -> BuiltinFunction? {
        let lowered = name.lowercased()
        var best: (function: BuiltinFunction, distance: Int)?
        let candidates = allCases.map { ($0.rawValue, $0) } + aliases.map { ($0.key, $0.value) }
        for (candidate, function) in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= max(1, candidate.count / 3), distance < (best?.distance ?? .max) {
                best = (function, distance)
            }
        }
        return best?.function
    }

    /// Levenshtein distance between two short strings.
    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var row = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            row[0] = i
            for j in 1...b.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &row)
        }
        return previous[b.count]
    }
}
