import AccessControl
import Testing
import WorkflowDrivers

@Suite struct APITokenTests {
    @Test func generatedTokensHaveTheDocumentedShapeAndDiffer() {
        let (plaintext, hash) = APIToken.generate()
        #expect(plaintext.hasPrefix("lr_") && plaintext.count == 46)
        #expect(APIToken.isWellFormed(plaintext))
        #expect(hash == APIToken.hash(plaintext))
        #expect(hash.count == 64 && hash.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(APIToken.generate().plaintext != plaintext)
    }

    @Test func hashIsSHA256Hex() {
        #expect(APIToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func malformedTokensAreRecognised() {
        #expect(!APIToken.isWellFormed("lr_short"))
        #expect(!APIToken.isWellFormed("xx_" + String(repeating: "A", count: 43)))
        #expect(!APIToken.isWellFormed("lr_" + String(repeating: "+", count: 43)))
    }

    @Test func issueStoresOnlyTheHash() async throws {
        let store = InMemoryAPITokenStore()
        let (plaintext, record) = try await APIToken.issue(owner: "alice", name: "ci", role: .operator, in: store)
        #expect(record.hash == APIToken.hash(plaintext))
        #expect(record.role == "operator" && record.owner == "alice" && record.name == "ci")
        #expect(try await store.list(owner: nil).allSatisfy { $0.hash != plaintext })
    }
}
