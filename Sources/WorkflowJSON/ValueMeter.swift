/// Bounds on the values an execution keeps: how large and how deeply nested.
public struct ValueLimits: Sendable, Equatable {
    /// Largest size, in bytes of compact JSON (strings counted without their escapes).
    public var maxBytes: Int
    /// Deepest nesting of arrays and objects (a scalar is depth 0, `[1]` depth 1).
    public var maxDepth: Int

    public init(maxBytes: Int, maxDepth: Int) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }
}

/// Which bound a value broke.
public enum ValueLimitBreach: Sendable, Equatable {
    case tooLarge
    case tooDeep
}

/// Measures values against ``ValueLimits``, several values against one budget, stopping as soon
/// as a bound is broken: the work is at most the limit, whatever the value. Values share their
/// storage in memory, so one built by doubling (`[x, x]` again and again) is small to hold but
/// 2^n bytes to write; measuring walks it as writing would, and stops.
///
/// ```swift
/// var meter = ValueMeter(ValueLimits(maxBytes: 1 << 20, maxDepth: 64))
/// meter.add(context)
/// meter.add(result)
/// if let breach = meter.breach { … }   // .tooLarge or .tooDeep
/// ```
public struct ValueMeter: Sendable {
    public let limits: ValueLimits
    /// Bytes counted so far (at most just past `limits.maxBytes`).
    public private(set) var bytes = 0
    /// The first bound broken; once set, nothing more is counted.
    public private(set) var breach: ValueLimitBreach?

    public init(_ limits: ValueLimits) {
        self.limits = limits
    }

    /// Counts `value`; `false` once a bound is broken.
    @discardableResult
    public mutating func add(_ value: JSONValue) -> Bool {
        guard breach == nil else { return false }
        walk(value, depth: 0)
        return breach == nil
    }

    /// Counts `count` bytes of something that is not a ``JSONValue`` (a name, a placeholder).
    @discardableResult
    public mutating func add(bytes size: Int) -> Bool {
        guard breach == nil else { return false }
        count(size)
        return breach == nil
    }

    private mutating func count(_ size: Int) {
        bytes += size
        if bytes > limits.maxBytes { breach = .tooLarge }
    }

    private mutating func walk(_ value: JSONValue, depth: Int) {
        switch value {
        case .null, .bool: count(5)
        case .integer(let number): count(Self.digits(number))
        case .double: count(24)
        case .string(let text): count(text.utf8.count + 2)
        case .array(let elements):
            guard enter(depth) else { return }
            count(max(2, elements.count + 1))  // brackets and commas
            for element in elements {
                guard breach == nil else { return }
                walk(element, depth: depth + 1)
            }
        case .object(let members):
            guard enter(depth) else { return }
            count(max(2, members.count + 1))
            for (key, member) in members {
                guard breach == nil else { return }
                count(key.utf8.count + 3)
                walk(member, depth: depth + 1)
            }
        }
    }

    /// `false` (and a breach) when a container at `depth` would nest past the limit.
    private mutating func enter(_ depth: Int) -> Bool {
        guard depth < limits.maxDepth else {
            breach = .tooDeep
            return false
        }
        return true
    }

    private static func digits(_ number: Int) -> Int {
        var remaining = number.magnitude
        var digits = number < 0 ? 2 : 1
        while remaining >= 10 {
            remaining /= 10
            digits += 1
        }
        return digits
    }
}

extension JSONValue {
    /// The bound this value breaks, or `nil` when it is within `limits`.
    public func breach(of limits: ValueLimits) -> ValueLimitBreach? {
        var meter = ValueMeter(limits)
        meter.add(self)
        return meter.breach
    }
}
