extension PostgresMigration {
    /// Lets the outbox purger (`OutboxPurger`) find published rows by publication time: a partial
    /// index that holds only published rows, so a pass reads the rows it deletes and nothing else,
    /// however many unpublished rows (timers due in hours or days) sit at the low end of the table.
    /// Its cost is one index entry per published row, written by the mark that publishes it.
    static let outboxRetention = PostgresMigration(version: 9, name: "outbox_retention", sql: #"""
        CREATE INDEX outbox_published ON outbox (published_at, id) WHERE published_at IS NOT NULL;
        """#)
}
