import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `getaddrinfo` wrapped: blocking, so only called from a dedicated thread.
enum AddressResolver {
    static func lookup(host: String, port: Int) -> Result<[String], HTTPClientError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            return .failure(.connection("cannot resolve \(host): \(String(cString: gai_strerror(status)))"))
        }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var node = list
        while let entry = node?.pointee {
            if let address = numeric(entry), !addresses.contains(address) { addresses.append(address) }
            node = entry.ai_next
        }
        return addresses.isEmpty ? .failure(.connection("no address for \(host)")) : .success(addresses)
    }

    /// `host` itself when it is an IPv4 address in dotted-quad form or an IPv6 address written the
    /// way `inet_ntop` writes it; `nil` for names and for other spellings (`0x7f.1`, `::FFFF:…`),
    /// which go through `getaddrinfo` and come back canonical.
    static func canonicalLiteral(_ host: String) -> String? {
        for family in [AF_INET, AF_INET6] {
            var address = in6_addr()  // large enough for either family
            guard inet_pton(family, host, &address) == 1 else { continue }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(family, &address, &text, socklen_t(text.count)) != nil else { return nil }
            let canonical = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return canonical == host ? host : nil
        }
        return nil
    }

    /// The entry's address as text (`inet_ntop`), or `nil` for a family other than IPv4 and IPv6.
    private static func numeric(_ entry: addrinfo) -> String? {
        guard let socketAddress = entry.ai_addr else { return nil }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let converted: UnsafePointer<CChar>?
        switch entry.ai_family {
        case AF_INET:
            var address = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            converted = inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
        case AF_INET6:
            var address = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
            converted = inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
        default:
            return nil
        }
        guard converted != nil else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
