import Foundation

/// The parts of a request URL the client checks before handing it to curl.
struct HTTPTarget: Sendable {
    var host: String
    var port: Int

    /// Accepts only absolute `http` and `https` URLs with a host.
    init(_ url: String) throws(HTTPClientError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { throw .invalidURL }
        self.host = host
        self.port = components.port ?? (scheme == "https" ? 443 : 80)
    }

    /// Whether the host is an IP address in canonical form (an IPv6 one in brackets, as URLs write it).
    var isAddressLiteral: Bool {
        let address = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return AddressResolver.canonicalLiteral(address) != nil
    }
}
