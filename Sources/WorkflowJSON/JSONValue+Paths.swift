extension JSONValue {
    /// The value at a dotted path such as `"validation.tier"` or `"lines.0.sku"`; `nil` when absent.
    public func value(atPath path: String) -> JSONValue? {
        var current = self
        for component in Self.pathComponents(path) {
            switch current {
            case .object(let object):
                guard let next = object[component] else { return nil }
                current = next
            case .array(let array):
                guard let index = Int(component), array.indices.contains(index) else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Returns a copy with `newValue` stored at a dotted path, creating intermediate objects.
    ///
    /// Storing into an existing array element replaces it; any other non-object on the way is
    /// replaced by an object, so `output: a.b` always succeeds.
    public func setting(_ newValue: JSONValue, atPath path: String) -> JSONValue {
        let components = Self.pathComponents(path)
        guard !components.isEmpty else { return newValue }
        return Self.set(newValue, components[...], in: self)
    }

    /// Splits a dotted path into its components, ignoring empty ones.
    public static func pathComponents(_ path: String) -> [String] {
        path.split(separator: ".", omittingEmptySubsequences: true).map(String.init)
    }

    private static func set(_ newValue: JSONValue, _ components: ArraySlice<String>, in value: JSONValue) -> JSONValue {
        guard let head = components.first else { return newValue }
        let rest = components.dropFirst()
        if case .array(var array) = value, let index = Int(head), array.indices.contains(index) {
            array[index] = set(newValue, rest, in: array[index])
            return .array(array)
        }
        var object = value.objectValue ?? [:]
        object[head] = set(newValue, rest, in: object[head] ?? .null)
        return .object(object)
    }

    /// Merges `other` into this object, member by member, `other` winning on conflicts.
    public func merging(_ other: JSONValue) -> JSONValue {
        guard case .object(var mine) = self, case .object(let theirs) = other else { return other }
        for (key, value) in theirs { mine[key] = value }
        return .object(mine)
    }
}
