@testable import CoordinatorAPI
import Testing

@Suite struct StreamQuotaTests {
    @Test func countsPerUserAndInAll() throws {
        let quota = StreamQuota(perUser: 2, total: 3)
        let ada1 = try quota.claim(for: "ada")
        _ = try quota.claim(for: "ada")
        #expect(throws: StreamQuota.Refusal.userLimit(2)) { _ = try quota.claim(for: "ada") }
        _ = try quota.claim(for: "bob")
        #expect(throws: StreamQuota.Refusal.totalLimit(3)) { _ = try quota.claim(for: "vic") }
        #expect(quota.open == 3)

        ada1.release()
        ada1.release()
        #expect(quota.open == 2, "a claim is released once however often it is called")
        _ = try quota.claim(for: "ada")
        #expect(throws: StreamQuota.Refusal.totalLimit(3)) { _ = try quota.claim(for: "vic") }
    }
}
