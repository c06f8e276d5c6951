@testable import CoordinatorAPI
import Logging
import Synchronization
import Testing

@Suite struct ClientCausedErrorLogHandlerTests {
    /// The lines a ``RecordingLogHandler`` received.
    final class Lines: Sendable {
        let all = Mutex<[String]>([])
    }

    /// Keeps what reaches it, as "level message" lines.
    struct RecordingLogHandler: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        func log(event: LogEvent) {
            lines.all.withLock { $0.append("\(event.level) \(event.message)") }
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
    }

    @Test func aFailedUpgradeNegotiationIsDebugAndEverythingElsePasses() {
        let lines = Lines()
        let logger = Logger(label: "test") { _ in RecordingLogHandler(lines: lines) }.turningDownClientCausedErrors
        logger.error("Error handling upgrade result", metadata: ["error.type": "Inappropriate operation for state"])
        logger.error("request failed")
        logger.info("Server started")
        logger.debug("not shown at info")
        #expect(lines.all.withLock { $0 } == ["error request failed", "info Server started"])
    }
}
