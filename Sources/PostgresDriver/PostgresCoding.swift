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

/// A one-dimensional array literal (`{"a","b",NULL}`), for `= ANY($1::text[])` and the arrays
/// `lr_commit_executions` takes. Every element is quoted; `"` and `\` inside are escaped.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public var postgresValue: PostgresValue {
        var literal: [UInt8] = [UInt8(ascii: "{")]
        for (index, element) in enumerated() {
            if index > 0 { literal.append(UInt8(ascii: ",")) }
            guard let text = element.postgresValue.text else {
                literal.append(contentsOf: "NULL".utf8)
                continue
            }
            literal.append(UInt8(ascii: "\""))
            var utf8 = text.utf8[...]
            // Copies the runs between the characters to escape whole.
            while let special = utf8.firstIndex(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                literal.append(contentsOf: utf8[..<special])
                literal.append(UInt8(ascii: "\\"))
                literal.append(utf8[special])
                utf8 = utf8[utf8.index(after: special)...]
            }
            literal.append(contentsOf: utf8)
            literal.append(UInt8(ascii: "\""))
        }
        literal.append(UInt8(ascii: "}"))
        return PostgresValue(text: String(decoding: literal, as: UTF8.self))
    }
}
