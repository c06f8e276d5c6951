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
