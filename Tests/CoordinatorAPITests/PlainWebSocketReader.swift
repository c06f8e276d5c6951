import Foundation
import LocalServers
#if canImport(Glibc)
import Glibc
#endif

/// A minimal WebSocket client over a plain socket, for reading the execution stream in tests:
/// the opening handshake, then server frames (text, continuation, close) until the server closes.
/// Blocking reads run on a thread of their own and give up after `readTimeout`, so a stream that
/// never ends fails the test instead of hanging it. (HummingbirdWSClient sometimes never noticed
/// the server's close, which hung the whole test run about one time in four.)
struct PlainWebSocketReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var port: Int
    var readTimeout: Duration = .seconds(10)

    /// What a stream delivered: its text messages, and the server's close frame (`nil` when the
    /// connection ended without one).
    struct Received: Sendable {
        var messages: [String]
        var close: (code: Int, reason: String)?
    }

    /// Opens `path` with `headers`, runs `whenConnected` once the upgrade is done (while frames
    /// are read), and returns the text messages received before the server closed the stream.
    func textMessages(
        _ path: String, headers: [String: String] = [:], whenConnected: @escaping @Sendable () async throws -> Void = {}
    ) async throws -> [String] {
        try await received(path, headers: headers, whenConnected: whenConnected).messages
    }

    /// Like ``textMessages(_:headers:whenConnected:)``, with the close frame.
    func received(
        _ path: String, headers: [String: String] = [:], whenConnected: @escaping @Sendable () async throws -> Void = {}
    ) async throws -> Received {
        let socket = try await onThread { try connectAndUpgrade(path, headers: headers) }
        defer { close(socket.descriptor) }
        async let received = onThread { try readMessages(socket) }
        try await whenConnected()
        return try await received
    }

    private struct UpgradedSocket: Sendable {
        var descriptor: Int32
        /// Bytes read after the handshake's header, which belong to the first frames.
        var leftover: [UInt8]
    }

    private func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    private func connectAndUpgrade(_ path: String, headers: [String: String]) throws -> UpgradedSocket {
        guard let descriptor = LoopbackSocket.connect(port: port, receiveTimeout: readTimeout) else {
            throw Failure(description: "cannot connect to 127.0.0.1:\(port)")
        }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        _ = Array(request.utf8).withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received: [UInt8] = []
        let terminator = Array("\r\n\r\n".utf8)
        while true {
            if let end = received.indices.first(where: { received[$0...].starts(with: terminator) }) {
                let head = String(decoding: received[..<end], as: UTF8.self)
                guard head.hasPrefix("HTTP/1.1 101") else {
                    close(descriptor)
                    throw Failure(description: "the upgrade was refused: \(head.prefix { $0 != "\r" })")
                }
                return UpgradedSocket(descriptor: descriptor, leftover: Array(received[(end + terminator.count)...]))
            }
            let chunk = try readSome(descriptor)
            guard !chunk.isEmpty else {
                close(descriptor)
                throw Failure(description: "the server closed the connection during the handshake")
            }
            received += chunk
        }
    }

    private func readMessages(_ socket: UpgradedSocket) throws -> Received {
        var buffer = socket.leftover
        var messages: [String] = []
        var fragments: [UInt8] = []
        func need(_ count: Int) throws {
            while buffer.count < count {
                let chunk = try readSome(socket.descriptor)
                guard !chunk.isEmpty else { throw Failure(description: "the connection ended inside a frame") }
                buffer += chunk
            }
        }
        while true {
            do {
                try need(2)
            } catch {
                return Received(messages: messages, close: nil)  // closed without a close frame, between frames
            }
            let fin = buffer[0] & 0x80 != 0
            let opcode = buffer[0] & 0x0F
            var length = Int(buffer[1] & 0x7F)
            var offset = 2
            if length == 126 {
                try need(4)
                length = Int(buffer[2]) << 8 | Int(buffer[3])
                offset = 4
            } else if length == 127 {
                try need(10)
                length = buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }
                offset = 10
            }
            try need(offset + length)
            let payload = Array(buffer[offset..<(offset + length)])
            buffer.removeFirst(offset + length)
            switch opcode {
            case 0x8:
                let code = payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : 1005
                return Received(messages: messages, close: (code, String(decoding: payload.dropFirst(2), as: UTF8.self)))
            case 0x1, 0x0:
                fragments += payload
                if fin {
                    messages.append(String(decoding: fragments, as: UTF8.self))
                    fragments = []
                }
            default: continue  // ping, pong, binary: not part of the stream
            }
        }
    }

    private func readSome(_ descriptor: Int32) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { throw Failure(description: "no data from the server within \(readTimeout) (errno \(errno))") }
        return Array(chunk.prefix(count))
    }
}
