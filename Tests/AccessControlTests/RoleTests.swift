import AccessControl
import Testing

@Suite struct RoleTests {
    @Test func adminMayDoEverything() {
        #expect(Permission.allCases.allSatisfy(Role.admin.grants))
    }

    @Test func operatorMayDoAllButTokensAndOtherUsers() {
        #expect(Role.operator.permissions == [.readWorkflows, .readExecutions, .writeWorkflows, .startExecutions, .operateExecutions])
    }

    @Test func viewerOnlyReads() {
        #expect(Role.viewer.permissions == [.readWorkflows, .readExecutions])
        #expect(Role(rawValue: "operator") == .operator)
    }

    @Test func principalsCheckPermissionsAndKeyTheirRateLimits() {
        let jwt = Principal(subject: "bob", role: .viewer, credential: .jwt)
        #expect(jwt.can(.readExecutions) && !jwt.can(.startExecutions))
        #expect(jwt.rateLimitKey == "sub:bob")
        #expect(Principal(subject: "bob", role: .admin, credential: .apiToken(id: "7")).rateLimitKey == "token:7")
    }
}
