import Foundation
@testable import PostgresDriver
import Testing

/// When an idle relay's wait ends (no server needed). Bounds are loose: they tell a wait that
/// ended early from one that ran its full timeout, not how fast the machine is.
struct RelayWakeupTests {
    private static func elapsed(_ work: () async -> Void) async -> Duration {
        await ContinuousClock().measure { await work() }
    }

    @Test func aWakeBeforeTheWaitEndsItAtOnce() async {
        let wakeup = RelayWakeup()
        wakeup.wake()
        #expect(await Self.elapsed { await wakeup.wait(timeout: .seconds(30)) } < .seconds(10))
    }

    @Test func aWakeForLaterEndsTheWaitThenNotBefore() async {
        let wakeup = RelayWakeup()
        let elapsed = await Self.elapsed {
            async let waited: Void = wakeup.wait(timeout: .seconds(30))
            try? await Task.sleep(for: .milliseconds(50))
            wakeup.wake(at: Date().addingTimeInterval(0.3))
            await waited
        }
        #expect(elapsed >= .milliseconds(300), "the row is not due before the date asked for")
        #expect(elapsed < .seconds(10), "but the wait ended then, not after its timeout")
    }

    @Test func aWakeForAfterTheTimeoutDoesNotLengthenTheWait() async {
        let wakeup = RelayWakeup()
        let elapsed = await Self.elapsed {
            async let waited: Void = wakeup.wait(timeout: .milliseconds(300))
            wakeup.wake(at: Date().addingTimeInterval(60))
            await waited
        }
        #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(10))
    }

    @Test func theWaitAfterANewOneIsFullLength() async {
        let wakeup = RelayWakeup()
        wakeup.wake()
        await wakeup.wait(timeout: .seconds(30))
        #expect(await Self.elapsed { await wakeup.wait(timeout: .milliseconds(300)) } >= .milliseconds(300), "a wake is used up by the wait it ended")
    }

    @Test func cancellingTheWaiterEndsTheWait() async {
        let wakeup = RelayWakeup()
        let elapsed = await Self.elapsed {
            let waiting = Task { await wakeup.wait(timeout: .seconds(30)) }
            try? await Task.sleep(for: .milliseconds(50))
            waiting.cancel()
            await waiting.value
        }
        #expect(elapsed < .seconds(10))
    }
}
