import Foundation
import Testing
import WorkflowJSON
import WorkflowProtocol

/// `Retry-After` as services send it, and as a failure keeps it.
@Suite struct RetryAfterTests {
    static let now = Date(timeIntervalSince1970: 1_764_000_000)  // Mon, 24 Nov 2025 16:00:00 GMT

    @Test func secondsDatesAndNonsense() {
        #expect(TaskFailure.retryAfterMilliseconds(header: " 120 ", now: Self.now) == 120_000)
        #expect(TaskFailure.retryAfterMilliseconds(header: "Mon, 24 Nov 2025 16:00:30 GMT", now: Self.now) == 30_000)
        #expect(TaskFailure.retryAfterMilliseconds(header: "Mon, 24 Nov 2025 15:00:00 GMT", now: Self.now) == 0, "a date passed: at once")
        #expect(TaskFailure.retryAfterMilliseconds(header: "99999999999999999999999", now: Self.now) == TaskFailure.longestRetryAfter)
        #expect(TaskFailure.retryAfterMilliseconds(header: "120, 120", now: Self.now) == 120_000, "a repeated header, joined")
        #expect(TaskFailure.retryAfterMilliseconds(header: "Monday, 24-Nov-25 16:00:30 GMT", now: Self.now) == 30_000, "rfc850")
        #expect(TaskFailure.retryAfterMilliseconds(header: "Mon Nov 24 16:00:30 2025", now: Self.now) == 30_000, "asctime")
        for nonsense in ["-5", "soon", "", "1.5"] { #expect(TaskFailure.retryAfterMilliseconds(header: nonsense, now: Self.now) == nil) }
    }

    @Test func aFailureKeepsItsWaitWithinAnHour() {
        #expect(TaskFailure(errorClass: "http_429", message: "", details: ["retry_after_ms": 5_000]).retryAfterMilliseconds == 5_000)
        #expect(TaskFailure(errorClass: "http_429", message: "", details: ["retry_after_ms": 1e300]).retryAfterMilliseconds == 3_600_000)
        #expect(TaskFailure(errorClass: "http_429", message: "", details: ["retry_after_ms": "soon"]).retryAfterMilliseconds == nil)
        #expect(TaskFailure(errorClass: "http_429", message: "").retryAfterMilliseconds == nil)
    }

    /// Details too large to keep are dropped, but not the wait the service asked for.
    @Test func boundingKeepsTheWait() {
        let body = JSONValue.string(String(repeating: "x", count: 300_000))
        let failure = TaskFailure(errorClass: "http_5xx", message: "HTTP 503", details: ["body": body, "retry_after_ms": 2_000]).bounded()
        #expect(failure.details == ["retry_after_ms": 2_000])
        #expect(TaskFailure(errorClass: "http_5xx", message: "HTTP 503", details: ["body": body]).bounded().details == nil)
    }
}
