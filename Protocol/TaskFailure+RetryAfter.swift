public import Foundation
public import WorkflowJSON

/// A failed call's `Retry-After`: how long the service asked to be left alone (a 429 or 503, a
/// language model's rate limit). It travels in `details` under ``retryAfterKey``, in
/// milliseconds, and the engine waits at least that long before the next attempt.
extension TaskFailure {
    /// The `details` key of the wait, in milliseconds.
    public static let retryAfterKey = "retry_after_ms"
    /// The longest wait honoured: a service cannot park an execution for longer than an hour.
    public static let longestRetryAfter = 3_600_000

    /// The wait the service asked for, within 0...``longestRetryAfter``; `nil` when it asked none.
    public var retryAfterMilliseconds: Int? {
        guard let asked = details?[Self.retryAfterKey]?.doubleValue, asked.isFinite else { return nil }
        return Int(min(max(asked, 0), Double(Self.longestRetryAfter)))
    }

    /// A `Retry-After` header in milliseconds: delay-seconds (`120`) or an HTTP-date (`Wed, 21 Oct
    /// 2026 07:28:00 GMT`) after `now`; `nil` for anything else.
    public static func retryAfterMilliseconds(header: String, now: Date = Date()) -> Int? {
        let text = header.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(text), seconds >= 0 {
            return seconds > Self.longestRetryAfter / 1000 ? Self.longestRetryAfter : seconds * 1000
        }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = format.date(from: text) else { return nil }
        return Int(min(max(date.timeIntervalSince(now) * 1000, 0), Double(Self.longestRetryAfter)).rounded(.up))
    }
}
