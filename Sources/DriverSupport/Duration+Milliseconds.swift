extension Duration {
    /// Whole milliseconds, rounded down — what TTLs, timeouts and delays are given in to Redis,
    /// RabbitMQ and PostgreSQL.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
