/// One page of a list endpoint: `{"<items>": [...], "next_cursor": "..."}`, the cursor `null` on
/// the last page (`GET /v1/workflows`, `GET /v1/executions`).
struct ListPage<Item: Encodable>: Encodable {
    /// The key the items go under (`workflows`, `executions`).
    var itemsKey: String
    var items: [Item]
    /// What to pass as `cursor` for the next page.
    var nextCursor: String?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(items, forKey: Key(stringValue: itemsKey))
        try container.encode(nextCursor, forKey: Key(stringValue: "next_cursor"))
    }
}
