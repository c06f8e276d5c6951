import Foundation
import Synchronization

/// Records when each no-op step ran, per execution, to measure the engine's overhead between
/// one step's end and the next one's start.
final class StepClock: Sendable {
    private struct Span {
        var step: Int
        var start: UInt64
        var end: UInt64
    }

    private let spans = Mutex<[String: [Span]]>([:])

    /// Monotonic nanoseconds.
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func record(executionID: String, step: Int, start: UInt64, end: UInt64) {
        spans.withLock { $0[executionID, default: []].append(Span(step: step, start: start, end: end)) }
    }

    /// Milliseconds from the end of each step to the start of the step after it, over all executions.
    func gapsMilliseconds() -> [Double] {
        spans.withLock { spans in
            spans.values.flatMap { runs -> [Double] in
                let ordered = runs.sorted { $0.start < $1.start }
                return zip(ordered, ordered.dropFirst()).map { previous, next in
                    Double(Int64(next.start) - Int64(previous.end)) / 1_000_000
                }
            }
        }
    }

    func reset() {
        spans.withLock { $0.removeAll() }
    }
}
