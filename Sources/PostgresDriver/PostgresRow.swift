/// One result row, copied out of libpq at once: column names and text values.
///
/// ```swift
/// let sequence = try row.decode("sequence", as: Int.self)
/// let output = try row.decode("final_context", as: JSONValue?.self)
/// ```
public struct PostgresRow: Sendable {
    /// The column names, in result order.
    public let columns: [String]
    /// The values in text format, `nil` for `NULL`.
    public let values: [String?]
    private let indexes: [String: Int]

    init(columns: [String], indexes: [String: Int], values: [String?]) {
        self.columns = columns
        self.indexes = indexes
        self.values = values
    }

    /// The value of `column`, decoded.
    ///
    /// - Throws: ``PostgresError`` when the column does not exist or its value does not decode as `T`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(PostgresError) -> T {
        guard let index = indexes[column] else { throw .decoding("no column \(column)") }
        do {
            return try T(postgresText: values[index])
        } catch {
            throw .decoding("column \(column): \(error.message)")
        }
    }

    /// The value at position `index`, decoded.
    public func decode<T: PostgresDecodable>(at index: Int, as type: T.Type = T.self) throws(PostgresError) -> T {
        guard values.indices.contains(index) else { throw .decoding("no column at \(index)") }
        return try T(postgresText: values[index])
    }
}
