import Foundation
import Testing
import WorkflowDrivers

@Suite struct PayloadStoreTests {
    @Test func theReferenceIsTheSHA256OfTheContent() {
        #expect(PayloadReference.of(Data("abc".utf8)) == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(PayloadReference.digest(of: PayloadReference.of(Data("abc".utf8)))?.count == 64)
        #expect(PayloadReference.digest(of: "md5:abc") == nil)
        #expect(PayloadReference.digest(of: "sha256:../../etc") == nil)
    }

    @Test func theInMemoryStoreKeepsEachContentOnce() async throws {
        let store = InMemoryPayloadStore()
        let body = Data(String(repeating: "payload ", count: 1000).utf8)
        let first = try await store.put(body)
        let second = try await store.put(body)
        #expect(first == second)
        #expect(store.count == 1)
        #expect(try await store.get(first) == body)
        #expect(try await store.get(PayloadReference.of(Data("other".utf8))) == nil)
        #expect(store.remove(first))
        #expect(try await store.get(first) == nil)
    }
}
