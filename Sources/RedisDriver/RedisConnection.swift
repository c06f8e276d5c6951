import CHiredis
import DriverSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One blocking hiredis connection, owned by an actor whose executor is a dedicated OS thread
/// (``ThreadExecutor``): hiredis's blocking reads never run on Swift's cooperative pool and the C
/// context never leaves the actor.
///
/// The connection opens lazily and reopens by itself: before each command it checks that the
/// server has not closed the idle socket (a `CLIENT KILL`, a restart, an idle timeout) and, if so,
/// reconnects with ``ReconnectBackoff``. A command that fails mid-flight is not retried (it may
/// have run); it throws ``RedisError/Code/io`` and the next command reconnects.
///
/// ```swift
/// let connection = RedisConnection(configuration: try RedisConfiguration(url: ServerSettings.redisURL))
/// let reply = try await connection.command(["SET", "greeting", "hello", "PX", "1000"])
/// ```
public actor RedisConnection {
    private nonisolated let executor = ThreadExecutor(name: "lazyrabbit.redis")
    /// Runs every method on this connection's own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private let configuration: RedisConfiguration
    /// The open hiredis context; releasing it closes the socket.
    private var context: HiredisContext?
    private var backoff = ReconnectBackoff()
    /// SHA1 of each script this connection has loaded, by source (see ``evaluate(_:keys:arguments:)``).
    var scriptSHAs: [String: String] = [:]
    /// How many times a connection was established (1 after the first command; more after reconnects).
    public private(set) var connectCount = 0

    /// A connection that opens on first use.
    public init(configuration: RedisConfiguration) {
        self.configuration = configuration
    }

    deinit {
        executor.shutdown()
    }

    /// Sends one command and waits for its reply. Arguments are sent with explicit lengths, so
    /// they may hold any bytes (including NUL).
    public func command(_ arguments: [String]) throws(RedisError) -> RedisReply {
        try roundTrip([arguments.map { Array($0.utf8) }])[0]
    }

    /// Sends one command whose arguments are raw bytes.
    public func command(_ arguments: [[UInt8]]) throws(RedisError) -> RedisReply {
        try roundTrip([arguments])[0]
    }

    /// Writes every command, then reads every reply: one round trip for the batch. Replies come
    /// back in command order; an error reply for one command does not stop the others.
    public func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisReply] {
        try roundTrip(commands.map { $0.map { Array($0.utf8) } })
    }

    /// Closes the socket; the next command reconnects.
    public func close() {
        drop()
    }

    /// Sends `commands` in one write and reads as many replies.
    func roundTrip(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        let context = try connected()
        for command in commands {
            try append(command, to: context)
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
                let error = failure(.io, context, command: commands[0])
                drop()
                throw error
            }
            replies.append(RedisReply(copying: raw.assumingMemoryBound(to: redisReply.self)))
            freeReplyObject(raw)
        }
        return replies
    }

    private func append(_ arguments: [[UInt8]], to context: UnsafeMutablePointer<redisContext>) throws(RedisError) {
        // One contiguous buffer (plus a byte so it is never empty) keeps every argument's pointer
        // valid for the call; hiredis copies them into its output buffer.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        for argument in arguments {
            offsets.append(buffer.count)
            buffer.append(contentsOf: argument)
        }
        buffer.append(0)
        let lengths = arguments.map(\.count)
        let status = buffer.withUnsafeBytes { bytes in
            let base = bytes.baseAddress!.assumingMemoryBound(to: CChar.self)
            var argv: [UnsafePointer<CChar>?] = offsets.map { UnsafePointer(base + $0) }
            return redisAppendCommandArgv(context, Int32(arguments.count), &argv, lengths)
        }
        guard status == REDIS_OK else {
            let error = failure(.io, context, command: arguments)
            drop()
            throw error
        }
    }

    /// The open context, reconnecting first if there is none or the server closed it.
    private func connected() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        if let context = context?.pointer, context.pointee.err == 0, !Self.peerClosed(context) { return context }
        drop()
        var lastError = RedisError(.connectFailed, "no attempt made", context: configuration.description)
        for attempt in 0...max(0, configuration.reconnectAttempts) {
            if attempt > 0 { Thread.sleep(forTimeInterval: backoff.next() / .seconds(1)) }
            do {
                let context = try open()
                backoff.reset()
                self.context = context
                connectCount += 1
                return context.pointer
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private func open() throws(RedisError) -> HiredisContext {
        guard let pointer = redisConnectWithTimeout(configuration.host, Int32(configuration.port), Self.timeval(configuration.connectTimeout)) else {
            throw RedisError(.connectFailed, "cannot allocate a hiredis context", context: configuration.description)
        }
        let owner = HiredisContext(pointer)
        let context = owner.pointer
        var setup: [[String]] = []
        if let password = configuration.password {
            setup.append(configuration.user.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if configuration.database != 0 { setup.append(["SELECT", String(configuration.database)]) }
        guard context.pointee.err == 0, redisSetTimeout(context, Self.timeval(configuration.commandTimeout)) == REDIS_OK else {
            throw failure(.connectFailed, context, command: nil)
        }
        redisEnableKeepAlive(context)
        for command in setup {
            var raw: UnsafeMutableRawPointer?
            let argv = command.map { Array($0.utf8) }
            let replyError: String?
            do {
                try append(argv, to: context)
                if redisGetReply(context, &raw) == REDIS_OK, let raw {
                    let reply = RedisReply(copying: raw.assumingMemoryBound(to: redisReply.self))
                    freeReplyObject(raw)
                    if case .error(let message) = reply { replyError = message } else { replyError = nil }
                } else {
                    replyError = Self.errorString(context)
                }
            } catch {
                replyError = error.message
            }
            if let replyError {
                throw RedisError(.connectFailed, "\(command[0]) failed: \(replyError)", context: configuration.description)
            }
        }
        return owner
    }

    private func drop() {
        context = nil
    }

    private func failure(_ code: RedisError.Code, _ context: UnsafeMutablePointer<redisContext>, command: [[UInt8]]?) -> RedisError {
        let name = command?.first.map { " during " + String(decoding: $0, as: UTF8.self) } ?? ""
        return RedisError(code, Self.errorString(context), context: configuration.description + name)
    }

    /// An idle connection has nothing to read: anything readable (EOF, a reset, stray bytes) means
    /// the server closed it or the stream is out of step, and it must be replaced.
    private static func peerClosed(_ context: UnsafeMutablePointer<redisContext>) -> Bool {
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) != 0
    }

    private static func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { bytes in
            let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            return text.isEmpty ? "connection error \(context.pointee.err)" : text
        }
    }

    private static func timeval(_ duration: Duration) -> timeval {
        let (seconds, attoseconds) = duration.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}

/// Owns one `redisContext`: frees it (closing the socket) when the last reference goes.
/// Never leaves the ``RedisConnection`` actor that created it.
final class HiredisContext {
    let pointer: UnsafeMutablePointer<redisContext>

    init(_ pointer: UnsafeMutablePointer<redisContext>) {
        self.pointer = pointer
    }

    deinit {
        redisFree(pointer)
    }
}
