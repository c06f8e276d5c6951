import Foundation

/// One bind parameter in PostgreSQL's text format, or SQL `NULL`.
///
/// Values are made by ``PostgresEncodable`` conformances (`String`, integers, `Bool`, `Double`,
/// `Data` as `bytea`, `Date` as `timestamptz`, `JSONValue` as `jsonb`, optionals of those), so a
/// query never splices a value into its text.
public struct PostgresValue: Sendable, Equatable {
    /// The text representation, `nil` for `NULL`.
    public var text: String?

    /// A value from its PostgreSQL text representation.
    public init(text: String?) {
        self.text = text
    }

    /// SQL `NULL`.
    public static let null = PostgresValue(text: nil)
}

/// A Swift value that can be bound as a query parameter.
public protocol PostgresEncodable: Sendable {
    /// The value in PostgreSQL's text format.
    var postgresValue: PostgresValue { get }
}

/// A Swift value that can be read from a result column.
public protocol PostgresDecodable {
    /// Decodes the column's text (`nil` for `NULL`).
    ///
    /// - Throws: ``PostgresError`` (``PostgresError/dataException``) when the text does not fit.
    init(postgresText text: String?) throws(PostgresError)
}

/// A type that is read from a non-`NULL` column only.
protocol PostgresNonNullDecodable: PostgresDecodable {
    init(nonNullPostgresText text: String) throws(PostgresError)
}

extension PostgresNonNullDecodable {
    public init(postgresText text: String?) throws(PostgresError) {
        guard let text else { throw .decoding("NULL where \(Self.self) was expected") }
        try self.init(nonNullPostgresText: text)
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresValue: PostgresValue { self?.postgresValue ?? .null }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresText text: String?) throws(PostgresError) {
        self = try text.map { text throws(PostgresError) in try Wrapped(postgresText: text) }
    }
}

extension String: PostgresEncodable, PostgresDecodable, PostgresNonNullDecodable {
    public var postgresValue: PostgresValue { PostgresValue(text: self) }
    init(nonNullPostgresText text: String) { self = text }
}

extension Int: PostgresEncodable, PostgresDecodable, PostgresNonNullDecodable {
    public var postgresValue: PostgresValue { PostgresValue(text: String(self)) }
    init(nonNullPostgresText text: String) throws(PostgresError) {
        guard let value = Int(text) else { throw .decoding("not an integer: \(text)") }
        self = value
    }
}

extension Int64: PostgresEncodable, PostgresDecodable, PostgresNonNullDecodable {
    public var postgresValue: PostgresValue { PostgresValue(text: String(self)) }
    init(nonNullPostgresText text: String) throws(PostgresError) {
        guard let value = Int64(text) else { throw .decoding("not an integer: \(text)") }
        self = value
    }
}

extension Double: PostgresEncodable, PostgresDecodable, PostgresNonNullDecodable {
    public var postgresValue: PostgresValue { PostgresValue(text: String(self)) }
    init(nonNullPostgresText text: String) throws(PostgresError) {
        guard let value = Double(text) else { throw .decoding("not a number: \(text)") }
        self = value
    }
}

extension Bool: PostgresEncodable, PostgresDecodable, PostgresNonNullDecodable {
    public var postgresValue: PostgresValue { PostgresValue(text: self ? "t" : "f") }
    init(nonNullPostgresText text: String) throws(PostgresError) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw .decoding("not a boolean: \(text)")
        }
    }
}

/// A one-dimensional array literal (`{"a","b",NULL}`), for `= ANY($1::text[])`.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public var postgresValue: PostgresValue {
        let elements = map { element -> String in
            guard let text = element.postgresValue.text else { return "NULL" }
            return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return PostgresValue(text: "{" + elements.joined(separator: ",") + "}")
    }
}
