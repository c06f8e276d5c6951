import Foundation
import WorkflowJSON

/// Which network destinations callbacks may reach. Loopback, private, link-local, carrier-grade NAT,
/// unspecified and cloud-metadata addresses, and schemes other than http(s), are refused unless
/// the operator's allow-list names them.
public struct AddressPolicy: Sendable, Equatable {
    /// Host names, IP addresses or CIDR ranges (`localhost`, `127.0.0.1`, `10.0.0.0/8`) that are allowed anyway.
    /// A `host:port` entry allows the host.
    public var allowList: [String] {
        didSet { allowed = Self.destinations(allowList) }
    }

    /// Whether destinations are checked at all (the scheme always is). `false` only in
    /// ``unrestricted``.
    public var checksDestinations = true

    /// `allowList` parsed once (a worker checks every call's URL and addresses against it).
    private var allowed: [AllowedDestination]

    public init(allowList: [String] = []) {
        self.allowList = allowList
        allowed = Self.destinations(allowList)
    }

    public static func == (lhs: AddressPolicy, rhs: AddressPolicy) -> Bool {
        lhs.allowList == rhs.allowList && lhs.checksDestinations == rhs.checksDestinations
    }

    /// A policy that refuses no destination, for reloading a definition that already passed the
    /// operator's policy when it was stored: checking it again on every load would strand its
    /// running executions after a restart with another (or no) allow-list. Workers still check
    /// every address they connect to against their own allow-list.
    public static let unrestricted: AddressPolicy = {
        var policy = AddressPolicy()
        policy.checksDestinations = false
        return policy
    }()

    /// The schemes callbacks may use.
    public static let allowedSchemes: Set<String> = ["http", "https"]

    /// Why `url` may not be called, or `nil` when it may. Checks the scheme and, when the host is a
    /// literal address or a well-known name (`localhost`, `metadata.google.internal`), the host.
    /// Parts that are still templates (`${...}`) are checked at call time instead.
    public func violation(forURL url: String) -> String? {
        guard let parts = URLParts(url) else {
            return url.hasPrefix("${") ? nil : "`\(url)` is not an absolute http(s) URL"
        }
        if !parts.scheme.hasTemplate, !Self.allowedSchemes.contains(parts.scheme) {
            return "the scheme `\(parts.scheme)` is not allowed; callbacks may only use http and https"
        }
        guard !parts.host.hasTemplate else { return nil }
        guard !parts.host.isEmpty else { return "`\(url)` has no host" }
        return violation(forHost: parts.host)
    }

    /// Why a resolved numeric address (`"10.1.2.3"`, `"::1"`) of `host` may not be called, or `nil`.
    /// Workers call this on every address DNS returns, just before connecting.
    public func violation(forResolvedAddress address: String, host: String) -> String? {
        let name = Self.normalizedHost(host)
        if isAllowListed(name: name, address: IPAddress(name)) { return nil }
        guard let ip = IPAddress(address) else { return "`\(address)` (for `\(host)`) is not a numeric address" }
        if isAllowListed(name: nil, address: ip) { return nil }
        return Self.blockedRange(of: ip).map { "`\(host)` resolves to \(ip), a \($0) address" }
    }

    /// The check for a host as written in a URL.
    private func violation(forHost rawHost: String) -> String? {
        guard checksDestinations else { return nil }
        let host = Self.normalizedHost(rawHost)
        let ip = IPAddress(host)
        if isAllowListed(name: host, address: ip) { return nil }
        if let ip {
            return Self.blockedRange(of: ip).map { "`\(rawHost)` is a \($0) address (\(ip))" }
        }
        if let reason = Self.blockedName(host) { return "`\(rawHost)` is a \(reason) host" }
        return nil
    }

    private func isAllowListed(name: String?, address: IPAddress?) -> Bool {
        allowed.contains { entry in
            switch entry {
            case .range(let range): address.map(range.contains) ?? false
            case .address(let allowed): allowed == address
            case .name(let allowed): allowed == name
            }
        }
    }

    /// One parsed allow-list entry.
    private enum AllowedDestination: Sendable {
        case range(CIDRRange)
        case address(IPAddress)
        case name(String)
    }

    private static func destinations(_ allowList: [String]) -> [AllowedDestination] {
        allowList.map { entry in
            let host = allowListHost(entry)
            if let range = CIDRRange(host) { return .range(range) }
            if let address = IPAddress(host) { return .address(address) }
            return .name(host)
        }
    }

    /// Blocked ranges with what they are, most specific first.
    static let blockedRanges: [(range: CIDRRange, label: String)] = [
        ("169.254.169.254/32", "cloud metadata"), ("100.100.100.200/32", "cloud metadata"), ("fd00:ec2::254/128", "cloud metadata"),
        ("127.0.0.0/8", "loopback"), ("::1/128", "loopback"),
        ("0.0.0.0/8", "unspecified"), ("::/128", "unspecified"),
        ("10.0.0.0/8", "private"), ("172.16.0.0/12", "private"), ("192.168.0.0/16", "private"), ("fc00::/7", "private"),
        ("169.254.0.0/16", "link-local"), ("fe80::/10", "link-local"),
        ("100.64.0.0/10", "carrier-grade NAT"),
    ].map { (CIDRRange($0.0)!, $0.1) }

    static func blockedRange(of address: IPAddress) -> String? {
        blockedRanges.first { $0.range.contains(address) }?.label
    }

    static func blockedName(_ host: String) -> String? {
        if host == "localhost" || host.hasSuffix(".localhost") { return "loopback" }
        if host == "metadata" || host == "metadata.google.internal" { return "cloud metadata" }
        return nil
    }

    /// Lowercased, without brackets, a trailing dot or percent-encoding.
    static func normalizedHost(_ host: String) -> String {
        var host = (host.removingPercentEncodingIfPossible ?? host).lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        while host.hasSuffix(".") { host.removeLast() }
        return host
    }

    /// An allow-list entry's host part: `host:port` and `[v6]:port` lose the port; CIDRs and bare IPv6 stay.
    static func allowListHost(_ entry: String) -> String {
        let entry = entry.trimmingSpaces().lowercased()
        if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
            return String(entry[entry.index(after: entry.startIndex)..<close])
        }
        if entry.filter({ $0 == ":" }).count == 1, let colon = entry.firstIndex(of: ":") {
            return normalizedHost(String(entry[..<colon]))
        }
        return entry.contains(":") || entry.contains("/") ? entry : normalizedHost(entry)
    }
}

/// The scheme and host of a URL, split by hand so that templates and odd hosts survive.
struct URLParts {
    var scheme: String
    var host: String

    init?(_ url: String) {
        guard let separator = url.utf8.firstRange(ofBytes: "://".utf8) else { return nil }
        scheme = url[..<separator.lowerBound].lowercased()
        var authority = Substring(url[separator.upperBound...])
        if let end = authority.firstIndex(where: { "/?#".contains($0) }) { authority = authority[..<end] }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        // The port starts at the first colon of the literal part; a colon after `${` belongs to the template.
        let literal = authority.utf8.firstRange(ofBytes: "${".utf8).map { authority[..<$0.lowerBound] } ?? authority
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[...close])
        } else if let colon = literal.firstIndex(of: ":") {
            host = String(authority[..<colon])
        } else {
            host = String(authority)
        }
    }
}

extension StringProtocol {
    /// Whether a `${...}` template starts in the text (searched on its bytes).
    var hasTemplate: Bool { utf8.firstRange(ofBytes: "${".utf8) != nil }
}

extension String {
    /// Decodes `%XX` escapes; `nil` when there are none or they are malformed.
    var removingPercentEncodingIfPossible: String? {
        guard utf8.contains(UInt8(ascii: "%")) else { return nil }
        var bytes: [UInt8] = []
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let hexEnd = utf8.index(index, offsetBy: 3, limitedBy: utf8.endIndex) ?? utf8.endIndex
                guard utf8.distance(from: index, to: hexEnd) == 3,
                    let value = UInt8(String(decoding: utf8[utf8.index(after: index)..<hexEnd], as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
                index = hexEnd
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
