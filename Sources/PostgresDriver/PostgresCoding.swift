import Foundation

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
