@testable import LazyRabbitWorker
import Testing

@Suite struct LaneIntakeTests {
    /// A backlog in one lane does not hold back a later delivery of another: lanes take turns.
    @Test func lanesTakeTurns() async {
        let intake = LaneIntake<String>()
        for index in 1...4 { #expect(intake.push("a\(index)", lane: 0)) }
        #expect(intake.push("b1", lane: 2))
        #expect(intake.push("a5", lane: 0))
        var order: [String] = []
        for _ in 0..<6 { if let item = await intake.next() { order.append(item) } }
        #expect(order == ["a1", "b1", "a2", "a3", "a4", "a5"])
    }

    /// A reader waiting on an empty intake gets the next delivery; after `finish()` what is
    /// queued is still handed out, then `nil`, and nothing more is taken.
    @Test func aWaitingReaderAndTheFinish() async throws {
        let intake = LaneIntake<Int>()
        let reader = Task { await intake.next() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(intake.push(7, lane: 1))
        #expect(await reader.value == 7)
        #expect(intake.push(8, lane: 0))
        intake.finish()
        #expect(!intake.push(9, lane: 0))
        #expect(await intake.next() == 8)
        #expect(await intake.next() == nil)
        let late = Task { await intake.next() }
        #expect(await late.value == nil)
    }

    @Test func finishingReleasesAWaitingReader() async throws {
        let intake = LaneIntake<Int>()
        let reader = Task { await intake.next() }
        try await Task.sleep(for: .milliseconds(50))
        intake.finish()
        #expect(await reader.value == nil)
    }
}
