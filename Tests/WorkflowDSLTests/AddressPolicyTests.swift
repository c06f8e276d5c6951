import Testing
@testable import WorkflowDSL

@Suite("Address policy")
struct AddressPolicyTests {
    let policy = AddressPolicy()

    @Test(arguments: [
        "http://127.0.0.1/", "http://127.5.6.7:8080/x", "http://[::1]/", "http://localhost/", "http://LOCALHOST.:80/",
        "http://api.localhost/", "http://10.0.0.1/", "http://172.16.0.1/", "http://172.31.255.255/", "http://192.168.1.1/",
        "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://169.254.1.1/", "http://[fe80::1%25eth0]/", "http://100.64.0.1/",
        "http://100.127.255.255/", "http://0.0.0.0/", "http://0.1.2.3/", "http://[::]/", "http://169.254.169.254/latest/meta-data",
        "http://100.100.100.200/", "http://[fd00:ec2::254]/", "http://metadata.google.internal/computeMetadata/v1",
        "http://metadata/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://2130706433/", "http://0177.0.0.1/",
        "http://0x7f.1/", "http://0x7f000001/", "http://127.1/", "http://user:pw@127.0.0.1/", "http://%31%32%37.0.0.1/",
        "http://localhost:${input.port}/", "http://example.com@10.0.0.1/", "http://127.0.0.1#@example.com/",
    ])
    func refusedHosts(url: String) {
        #expect(policy.violation(forURL: url) != nil, "\(url) should be refused")
    }

    @Test(arguments: [
        "https://example.com/", "http://93.184.216.34/", "https://api.example.com:8443/v1?x=1", "http://172.32.0.1/",
        "http://100.128.0.1/", "http://[2606:4700::1111]/", "http://11.0.0.1/", "https://${input.host}/path",
        "https://api.example.com/${input.path}", "${input.url}", "https://api.example.com:${input.port}/x",
    ])
    func allowedURLs(url: String) {
        #expect(policy.violation(forURL: url) == nil, "\(url) should be allowed")
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://example.com/", "gopher://example.com/", "ftp://${input.host}/"])
    func refusedSchemes(url: String) {
        #expect(policy.violation(forURL: url)?.contains("scheme") == true)
    }

    @Test func messagesNameTheRange() {
        #expect(policy.violation(forURL: "http://169.254.169.254/") == "`169.254.169.254` is a cloud metadata address (169.254.169.254)")
        #expect(policy.violation(forURL: "http://0x7f.1/") == "`0x7f.1` is a loopback address (127.0.0.1)")
        #expect(policy.violation(forURL: "http://localhost/") == "`localhost` is a loopback host")
        #expect(policy.violation(forURL: "not a url") != nil)
    }

    @Test func allowListByNameIPCIDRAndPort() {
        let allowed = AddressPolicy(allowList: ["localhost", "10.1.2.3", "192.168.0.0/16", "metadata:80", "[::1]:8080", "fd00::/8"])
        #expect(allowed.violation(forURL: "http://localhost:9000/") == nil)
        #expect(allowed.violation(forURL: "http://10.1.2.3/") == nil)
        #expect(allowed.violation(forURL: "http://10.1.2.4/") != nil)
        #expect(allowed.violation(forURL: "http://192.168.44.5/") == nil)
        #expect(allowed.violation(forURL: "http://metadata/") == nil)
        #expect(allowed.violation(forURL: "http://[::1]/") == nil)
        #expect(allowed.violation(forURL: "http://[fd12::1]/") == nil)
        #expect(allowed.violation(forURL: "http://127.0.0.1/") != nil)
        #expect(AddressPolicy(allowList: ["127.0.0.1"]).violation(forURL: "http://2130706433/") == nil)
    }

    @Test func allowListChangedAfterCreationIsTheOneChecked() {
        var changed = AddressPolicy(allowList: ["10.1.2.3"])
        changed.allowList = ["192.168.0.0/16"]
        #expect(changed.violation(forURL: "http://10.1.2.3/") != nil)
        #expect(changed.violation(forURL: "http://192.168.44.5/") == nil)
        changed.allowList.append("10.1.2.3")
        #expect(changed.violation(forURL: "http://10.1.2.3/") == nil)
        #expect(changed == AddressPolicy(allowList: ["192.168.0.0/16", "10.1.2.3"]))
    }

    @Test func resolvedAddresses() {
        #expect(policy.violation(forResolvedAddress: "10.1.2.3", host: "internal.example.com") == "`internal.example.com` resolves to 10.1.2.3, a private address")
        #expect(policy.violation(forResolvedAddress: "::ffff:169.254.169.254", host: "evil.example") != nil)
        #expect(policy.violation(forResolvedAddress: "93.184.216.34", host: "example.com") == nil)
        #expect(policy.violation(forResolvedAddress: "2606:4700::1111", host: "one.one") == nil)
        #expect(AddressPolicy(allowList: ["internal.example.com"]).violation(forResolvedAddress: "10.1.2.3", host: "internal.example.com") == nil)
        #expect(AddressPolicy(allowList: ["10.0.0.0/8"]).violation(forResolvedAddress: "10.1.2.3", host: "internal.example.com") == nil)
        #expect(policy.violation(forResolvedAddress: "garbage", host: "x") != nil)
    }

    @Test func ipParsing() {
        #expect(IPAddress("2130706433")?.description == "127.0.0.1")
        #expect(IPAddress("0177.0.0.1")?.description == "127.0.0.1")
        #expect(IPAddress("0x7f.1")?.description == "127.0.0.1")
        #expect(IPAddress("10.1")?.description == "10.0.0.1")
        #expect(IPAddress("::ffff:127.0.0.1") == IPAddress("127.0.0.1"))
        #expect(IPAddress("256.0.0.1") == nil)
        #expect(IPAddress("1.2.3.4.5") == nil)
        #expect(IPAddress("1:2:3:4:5:6:7:8:9") == nil)
        #expect(IPAddress("example.com") == nil)
        #expect(IPAddress("08.0.0.1") == nil)
    }

    @Test func relativeURLInDocument() {
        let states = "  first: { type: task, callback: { type: http, url: \"example.com/x\" }, end: true }"
        #expect(Fixtures.codes(Fixtures.minimal(states: states)) == ["invalid_url"])
    }

    @Test func blockedURLInDocument() {
        let states = "  first: { type: task, callback: { type: http, url: \"http://169.254.169.254/latest\" }, end: true }"
        let diagnostic = Fixtures.first("blocked_address", in: Fixtures.minimal(states: states))
        #expect(diagnostic?.path == "states.first.callback.url")
        #expect(diagnostic?.hint?.contains("--allow-host") == true)
        #expect(diagnostic?.hint?.contains("LAZYRABBIT_ALLOWED_HOSTS") == true)
        let options = ValidationOptions(addressPolicy: AddressPolicy(allowList: ["169.254.169.254"]))
        #expect(Fixtures.load(Fixtures.minimal(states: states), options: options).isValid)
    }
}
