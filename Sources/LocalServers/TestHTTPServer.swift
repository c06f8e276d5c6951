import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A small, real HTTP/1.1 server for tests: POSIX sockets on 127.0.0.1, an ephemeral port, one
/// thread accepting and one thread per connection, `Connection: close` after every response —
/// or, with `keepAlive`, connections kept open for the client's next request (a load target whose
/// clients should not pay a TCP connection and a server thread per request).
///
/// ```swift
/// let server = try TestHTTPServer { request in
///     request.path == "/ping" ? .json(["ok": true]) : .text("nope", status: 404)
/// }
/// defer { server.stop() }
/// // ... call server.baseURL + "/ping" ...
/// #expect(server.requestCount(path: "/ping") == 1)
/// ```
///
/// Call ``stop()`` when done: the accept thread keeps the server alive until then.
public final class TestHTTPServer: Sendable {
    /// Why the server could not start.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    private struct State {
        var stopped = false
        var log: [TestHTTPRequest] = []
        var counts: [String: Int] = [:]
        var connections = 0
    }

    /// The port the server listens on (chosen by the kernel).
    public let port: Int
    private let listener: Int32
    private let handler: @Sendable (TestHTTPRequest) -> TestHTTPResponse
    private let keepAlive: Bool
    private let state = Mutex(State())

    /// Binds 127.0.0.1 on an ephemeral port (backlog 128) and starts accepting at once.
    ///
    /// - Parameter keepAlive: serve further requests on a connection until the client closes it
    ///   or asks `Connection: close` (idle connections are dropped after 30 s).
    public init(keepAlive: Bool = false, handler: @escaping @Sendable (TestHTTPRequest) -> TestHTTPResponse) throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw StartError(description: "socket: \(String(cString: strerror(errno)))") }
        var reuse: Int32 = 1
        setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        guard bound == 0, named == 0, listen(socketFD, 128) == 0 else {
            let message = String(cString: strerror(errno))
            close(socketFD)
            throw StartError(description: "cannot listen on 127.0.0.1: \(message)")
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = socketFD
        self.handler = handler
        self.keepAlive = keepAlive
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "TestHTTPServer.accept"
        thread.start()
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `baseURL` followed by `path` (which starts with `/`).
    public func url(_ path: String) -> String { baseURL + path }

    /// How many requests arrived for `path` (query excluded).
    public func requestCount(path: String) -> Int {
        state.withLock { $0.counts[path] ?? 0 }
    }

    /// How many connections the server accepted so far.
    public var connectionCount: Int {
        state.withLock { $0.connections }
    }

    /// Every request received so far, oldest first.
    public var requests: [TestHTTPRequest] {
        state.withLock { $0.log }
    }

    /// The most recent request for `path`, if any.
    public func lastRequest(path: String) -> TestHTTPRequest? {
        state.withLock { $0.log.last { $0.path == path } }
    }

    /// Stops accepting connections. Connections already being served finish on their own threads;
    /// a kept-alive one answers at most one more request, and closes.
    public func stop() {
        let wasStopped = state.withLock { state in
            defer { state.stopped = true }
            return state.stopped
        }
        // Wakes the blocked `accept`, which then closes the socket.
        if !wasStopped { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let connection = accept(listener, nil, nil)
            if isStopped {
                if connection >= 0 { close(connection) }
                return
            }
            guard connection >= 0 else {
                if errno == EINTR || errno == ECONNABORTED || errno == EMFILE { continue }
                return
            }
            state.withLock { $0.connections += 1 }
            let thread = Thread { [self] in serve(connection) }
            thread.name = "TestHTTPServer.connection"
            thread.start()
        }
    }

    /// Answers the connection's requests through the handler, then closes it: after the first
    /// request, or with `keepAlive` once the client closes or asks to, a request's or response's
    /// body has no known end, or the server is stopped.
    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var socket = HTTPSocket(fd: connection)
        while let (request, framed) = socket.readRequest() {
            state.withLock { state in
                state.log.append(request)
                state.counts[request.path, default: 0] += 1
            }
            let response = handler(request)
            if let delay = response.delay {
                Thread.sleep(forTimeInterval: delay / .seconds(1))
            }
            let staysOpen = keepAlive && framed && response.sendsContentLength && !isStopped
                && request.headers["connection"]?.lowercased() != "close"
            socket.write(response, keepAlive: staysOpen)
            guard staysOpen else { return }
        }
    }
}
