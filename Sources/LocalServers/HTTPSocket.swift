import Foundation
import WorkflowJSON
#if canImport(Glibc)
import Glibc
#endif

/// The HTTP/1.1 framing for one accepted connection of ``TestHTTPServer``: request heads,
/// `Content-Length` bodies (with `Expect: 100-continue` answered), and responses that close the
/// connection or keep it open for the next request.
struct HTTPSocket {
    let fd: Int32
    /// Bytes received past the end of the last request (a pipelining client's next request).
    private var pending: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
    }

    /// The end of a request head.
    private static let blankLine: [UInt8] = Array("\r\n\r\n".utf8)

    /// Requests with heads larger than this are dropped.
    private static let maxHeadBytes = 64 * 1024

    /// The next request on the connection, or `nil` at its end (or on a malformed or oversized
    /// head); `framed` tells whether its body's end was known (a `Content-Length`, or no body), so
    /// that another request may follow on the connection.
    mutating func readRequest() -> (request: TestHTTPRequest, framed: Bool)? {
        var buffer = pending
        pending = []
        var headEnd = buffer.firstRange(ofBytes: Self.blankLine)?.lowerBound
        while headEnd == nil {
            guard buffer.count < Self.maxHeadBytes, receive(into: &buffer) else { return nil }
            headEnd = buffer.firstRange(ofBytes: Self.blankLine)?.lowerBound
        }
        guard let headEnd else { return nil }
        // Lines end in CRLF; empty lines before the request line are ignored (RFC 9112, 2.2).
        let lines = buffer[..<headEnd].split(separator: UInt8(ascii: "\n")).map { $0.trimmingASCIIWhitespace() }.drop { $0.isEmpty }
        guard let first = lines.first else { return nil }
        let requestLine = first.split(separator: UInt8(ascii: " "))
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = String(decoding: line[..<colon].trimmingASCIIWhitespace(), as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...].trimmingASCIIWhitespace(), as: UTF8.self)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        if headers["expect"]?.lowercased() == "100-continue" {
            send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        var body = Array(buffer[(headEnd + 4)...])
        // A body whose end is unknown (chunked, or an unreadable length) is read as empty, and
        // the connection is not kept: its bytes cannot be told from the next request's.
        let declaredLength: Int? = headers["content-length"].map { Int($0) } ?? 0
        let length = max(0, declaredLength ?? 0)
        let framed = (declaredLength ?? -1) >= 0 && headers["transfer-encoding"] == nil
        while body.count < length {
            guard receive(into: &body) else { return nil }
        }
        pending = Array(body.dropFirst(length))
        let target = String(decoding: requestLine[1], as: UTF8.self)
        var path = target
        var query: [String: String] = [:]
        if !target.hasPrefix("/") || target.utf8.contains(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "%") }) {
            let components = URLComponents(string: target)
            for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
            path = components?.path ?? target
        }
        let request = TestHTTPRequest(
            method: String(decoding: requestLine[0], as: UTF8.self), path: path, query: query, headers: headers,
            body: Data(body.prefix(length)))
        return (request, framed)
    }

    /// Sends `response`, announcing whether the connection stays open after it.
    func write(_ response: TestHTTPResponse, keepAlive: Bool) {
        var head = "HTTP/1.1 \(response.status) \(response.reason)\r\n"
        for (name, value) in response.headers where !["content-length", "connection"].contains(name.lowercased()) {
            head += "\(name): \(value)\r\n"
        }
        if response.sendsContentLength { head += "Content-Length: \(response.body.count)\r\n" }
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        send(Array(head.utf8) + Array(response.body))
    }

    /// Appends what the peer sent; `false` on end of stream, error or read timeout.
    private func receive(into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    /// Sends everything, ignoring a peer that went away (no SIGPIPE).
    private func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return }
            offset += sent
        }
    }
}
