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

    /// A `Retry-After` header in milliseconds: delay-seconds (`120`; a repeated header joined as
    /// `120, 120` counts once) or an HTTP-date after `now` in any of RFC 9110's three formats
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT`, `Sun Nov  6 08:49:37
    /// 1994`); `nil` for anything else.
    public static func retryAfterMilliseconds(header: String, now: Date = Date()) -> Int? {
        let text = header.trimmingCharacters(in: .whitespaces)
        let first = text.split(separator: ",", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if !first.isEmpty, first.allSatisfy(\.isASCIIDigit) {
            guard first.count <= 7, let seconds = Int(first) else { return Self.longestRetryAfter }
            return min(seconds * 1000, Self.longestRetryAfter)
        }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        let squeezed = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        for pattern in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            format.dateFormat = pattern
            if let date = format.date(from: squeezed) {
                return Int(min(max(date.timeIntervalSince(now) * 1000, 0), Double(Self.longestRetryAfter)).rounded(.up))
            }
        }
        return nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
