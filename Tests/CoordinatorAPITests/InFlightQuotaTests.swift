@testable import CoordinatorAPI
import Testing

@Suite struct InFlightQuotaTests {
    @Test func countsPerUserAndInAll() throws {
        let quota = InFlightQuota(perUser: 2, total: 3, what: "execution streams open", advice: "close one first")
        let ada1 = try quota.claim(for: "ada")
        _ = try quota.claim(for: "ada")
        #expect(throws: InFlightQuota.Refusal.userLimit(2, what: "execution streams open", advice: "close one first")) { _ = try quota.claim(for: "ada") }
        _ = try quota.claim(for: "bob")
        #expect(throws: InFlightQuota.Refusal.totalLimit(3, what: "execution streams open")) { _ = try quota.claim(for: "vic") }
        #expect(quota.open == 3)

        ada1.release()
        ada1.release()
        #expect(quota.open == 2, "a claim is released once however often it is called")
        _ = try quota.claim(for: "ada")
        #expect(throws: InFlightQuota.Refusal.totalLimit(3, what: "execution streams open")) { _ = try quota.claim(for: "vic") }
    }
}
