import Foundation
import Synchronization
import Testing
import WorkflowDrivers

/// Snapshots encoded on first use, and the random UUIDs of lock owners and execution ids.
struct ExecutionSnapshotTests {
    struct Failure: Error {}

    @Test func encodesOnceOnFirstUseAndNeverIfUnread() throws {
        let calls = Atomic<Int>(0)
        let snapshot = ExecutionSnapshot {
            calls.add(1, ordering: .relaxed)
            return Data("state".utf8)
        }
        let unread = ExecutionSnapshot {
            calls.add(100, ordering: .relaxed)
            return Data()
        }
        _ = unread
        #expect(calls.load(ordering: .relaxed) == 0)
        #expect(try snapshot.data() == Data("state".utf8))
        #expect(try snapshot.data() == Data("state".utf8))
        #expect(calls.load(ordering: .relaxed) == 1)
        #expect(snapshot == ExecutionSnapshot(Data("state".utf8)))
    }

    @Test func aFailedEncodingIsThrownAndTriedAgain() throws {
        let attempts = Atomic<Int>(0)
        let snapshot = ExecutionSnapshot {
            guard attempts.add(1, ordering: .relaxed).newValue > 1 else { throw Failure() }
            return Data([1])
        }
        #expect(throws: Failure.self) { try snapshot.data() }
        #expect(try snapshot.data() == Data([1]))
    }

    @Test func roundTripsThroughCodableAsBytes() throws {
        let snapshot = ExecutionSnapshot { Data([0, 255]) }
        let decoded = try JSONDecoder().decode(ExecutionSnapshot.self, from: JSONEncoder().encode(snapshot))
        #expect(try decoded.data() == Data([0, 255]))
    }

    @Test func systemRandomUUIDsAreVersion4AndDistinct() {
        let ids = (0..<1000).map { _ in UUID.systemRandom() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let text = id.uuidString
            #expect(Array(text)[14] == "4")
            #expect("89AB".contains(Array(text)[19]))
        }
    }
}
