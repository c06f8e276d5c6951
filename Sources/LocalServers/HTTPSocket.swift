import Foundation
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

    /// Requests with heads larger than this are dropped.
    private static let maxHeadBytes = 64 * 1024

    /// The next request on the connection, or `nil` at its end (or on a malformed or oversized head).
    mutating func readRequest() -> TestHTTPRequest? {
        var buffer = pending
        pending = []
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            guard buffer.count < Self.maxHeadBytes, receive(into: &buffer) else { return nil }
            headEnd = buffer.firstRange(of: separator)?.lowerBound
        }
        guard let headEnd else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        if headers["expect"]?.lowercased() == "100-continue" {
            send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        var body = Array(buffer[(headEnd + separator.count)...])
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            guard receive(into: &body) else { return nil }
        }
        pending = Array(body.dropFirst(length))
        let target = String(requestLine[1])
        let components = URLComponents(string: target)
        var query: [String: String] = [:]
        for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
        return TestHTTPRequest(
            method: String(requestLine[0]), path: components?.path ?? target, query: query, headers: headers,
            body: Data(body.prefix(length)))
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
