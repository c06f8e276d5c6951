/// Bounds on the values an execution keeps: how large and how deeply nested.
public struct ValueLimits: Sendable, Equatable {
    /// Largest size, in bytes of compact JSON.
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
    /// Walks object members in key order (as they are written) rather than in the dictionary's
    /// order, which differs between processes: slower, but the first bound broken is always the
    /// same one. Whether *some* bound breaks does not depend on the order.
    public let ordered: Bool
    /// Bytes counted so far (at most just past `limits.maxBytes`).
    public private(set) var bytes = 0
    /// The first bound broken; once set, nothing more is counted.
    public private(set) var breach: ValueLimitBreach?

    public init(_ limits: ValueLimits, ordered: Bool = false) {
        self.limits = limits
        self.ordered = ordered
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
        case .string(let text): countString(text)
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
            if ordered {
                for key in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where breach == nil {
                    countMember(key, members[key]!, depth: depth)
                }
            } else {
                for (key, member) in members where breach == nil {
                    countMember(key, member, depth: depth)
                }
            }
        }
    }

    private mutating func countMember(_ key: String, _ member: JSONValue, depth: Int) {
        countString(key)
        count(1)
        walk(member, depth: depth + 1)
    }

    /// Counts a string as written: quoted, `"` and `\\` and `\b \t \n \f \r` as two bytes, other
    /// control characters as six (`\u00xx`). A string whose bytes alone break the limit is not scanned.
    private mutating func countString(_ text: String) {
        let plain = text.utf8.count + 2
        guard bytes + plain <= limits.maxBytes else { return count(plain) }
        let extra = text.utf8.withContiguousStorageIfAvailable(Self.escapeBytes) ?? Self.escapeBytes(Array(text.utf8))
        count(plain + extra)
    }

    /// The bytes escaping adds to `utf8` when written as JSON.
    private static func escapeBytes(_ utf8: some Collection<UInt8>) -> Int {
        var extra = 0
        for byte in utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            switch byte {
            case 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x22, 0x5C: extra += 1
            default: extra += 5
            }
        }
        return extra
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

extension ValueMeter {
    /// The bound `measure` breaks, or `nil`: measured in the dictionaries' order, and again in
    /// key order when a bound breaks, so the answer is the same in every process.
    public static func breach(of limits: ValueLimits, _ measure: (inout ValueMeter) -> Void) -> ValueLimitBreach? {
        var meter = ValueMeter(limits)
        measure(&meter)
        guard meter.breach != nil else { return nil }
        var ordered = ValueMeter(limits, ordered: true)
        measure(&ordered)
        return ordered.breach
    }
}

extension JSONValue {
    /// The bound this value breaks, or `nil` when it is within `limits`; the same in every process.
    public func breach(of limits: ValueLimits) -> ValueLimitBreach? {
        ValueMeter.breach(of: limits) { $0.add(self) }
    }
}
