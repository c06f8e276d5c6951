import Logging

/// The server's log handler as one connection's handler sees it, with one message turned down:
/// HummingbirdWebSocket logs every connection that ends before a first request could be parsed
/// (a malformed request, a silent client closed at the deadline) as an `error` "Error handling
/// upgrade result". A client causes one such line per connection it opens, so they are logged at
/// `debug`: a flood of bad connections must not flood the logs. Everything else passes unchanged.
struct ClientCausedErrorLogHandler: LogHandler {
    /// The message HummingbirdWebSocket logs when a connection's upgrade negotiation fails.
    static let upgradeNegotiationFailed: Logger.Message = "Error handling upgrade result"

    var wrapped: any LogHandler

    func log(event: LogEvent) {
        var event = event
        if event.level == .error, event.message == Self.upgradeNegotiationFailed { event.level = .debug }
        guard event.level >= wrapped.logLevel else { return }
        wrapped.log(event: event)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }
}

extension Logger {
    /// This logger, with ``ClientCausedErrorLogHandler`` in front of its handler.
    var turningDownClientCausedErrors: Logger {
        var logger = self
        logger.handler = ClientCausedErrorLogHandler(wrapped: handler)
        return logger
    }
}
