// INTERFACE STUB — the DSL helper implements this; keep the signatures.

/// Which network destinations callbacks may reach. Loopback, private, link-local, carrier-grade NAT,
/// unspecified and cloud-metadata addresses, and schemes other than http(s), are refused unless
/// the operator's allow-list names them.
public struct AddressPolicy: Sendable, Equatable {
    /// Host names, IP addresses or CIDR ranges (`localhost`, `127.0.0.1`, `10.0.0.0/8`) that are allowed anyway.
    public var allowList: [String]

    public init(allowList: [String] = []) { self.allowList = allowList }

    /// Why `url` may not be called, or `nil` when it may. Checks the scheme and, when the host is a
    /// literal address or a well-known name (`localhost`, `metadata.google.internal`), the host.
    public func violation(forURL url: String) -> String? { nil }

    /// Why a resolved numeric address (`"10.1.2.3"`, `"::1"`) of `host` may not be called, or `nil`.
    /// Workers call this on every address DNS returns, just before connecting.
    public func violation(forResolvedAddress address: String, host: String) -> String? { nil }
}
