import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// TCP sockets on 127.0.0.1, for tests and local tools that talk to a server by hand or need a
/// port to start one on.
public enum LoopbackSocket {
    /// A socket connected to `127.0.0.1:port` whose reads give up after `receiveTimeout`, or `nil`
    /// when nothing accepts the connection. The caller closes it.
    public static func connect(port: Int, receiveTimeout: Duration) -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        let parts = receiveTimeout.components
        var timeout = timeval(tv_sec: Int(parts.seconds), tv_usec: Int(parts.attoseconds / 1_000_000_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// A TCP port nobody listens on right now (bound to port 0, read back, released), or `nil`
    /// when the system has none to give.
    public static func freePort() -> Int? {
        guard let (port, descriptor) = boundPort() else { return nil }
        close(descriptor)
        return port
    }

    /// A port that refuses connections for as long as `body` runs: bound, never listened on, so
    /// no other server can take it meanwhile (a released port can be, by a test running beside).
    public static func withRefusingPort<T>(_ body: (Int) async throws -> T) async throws -> T {
        guard let (port, descriptor) = boundPort() else { throw POSIXError(.EADDRNOTAVAIL) }
        defer { close(descriptor) }
        return try await body(port)
    }

    /// A socket bound to an ephemeral port of 127.0.0.1, and the port.
    private static func boundPort() -> (port: Int, descriptor: Int32)? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else {
            close(descriptor)
            return nil
        }
        return (Int(UInt16(bigEndian: address.sin_port)), descriptor)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
