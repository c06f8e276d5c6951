import Foundation
import Synchronization

/// Runs `matches()` with bounded cost: capped pattern and input sizes, a cache of compiled patterns,
/// and a cap on the regex engine's work so catastrophic backtracking stops instead of hanging.
enum RegexMatcher {
    /// Longest pattern accepted.
    static let maxPatternLength = 256
    /// Longest input accepted.
    static let maxInputLength = 10_000
    /// Progress reports allowed per match beyond one per input position. The regex engine reports
    /// progress each time it moves to the next start position and every 10 000 steps of backtracking;
    /// the two look alike, so the allowance is the input length plus this many.
    static let extraProgressReports = 100
    /// Wall-clock time one evaluation may spend in `matches()` in total. The progress reports above
    /// come at each start position and only every ~10 000 backtracking steps, so a pattern can spend
    /// up to 10 000 steps per position unseen: on a 10 000-character input that was 16 s for a single
    /// call (found by fuzzing, see docs/fuzzing.md). Ordinary patterns finish in microseconds and
    /// never come near this; only runaway backtracking does, and it fails with `budgetExceeded`.
    static let timeAllowance: Duration = .milliseconds(250)
    private static let cacheCapacity = 128
    private static let cache = Mutex<[String: NSRegularExpression]>([:])

    /// Whether `pattern` finds a match anywhere in `text`, spending at most `timeLeft` (which is
    /// reduced by the time spent, so one evaluation's calls share one ``timeAllowance``).
    static func matches(_ text: String, pattern: String, offset: Int, timeLeft: inout Duration) throws(ExpressionError) -> Bool {
        guard pattern.count <= maxPatternLength else {
            throw ExpressionError(
                code: .invalidRegex, message: "regular expression is longer than \(maxPatternLength) characters", offset: offset)
        }
        guard text.utf16.count <= maxInputLength else {
            throw ExpressionError(
                code: .valueTooLarge, message: "`matches` input is longer than \(maxInputLength) characters", offset: offset)
        }
        let regex = try compiled(pattern, offset: offset)
        var found = false
        var reports = 0
        var abandoned = false
        let allowedReports = text.utf16.count + 1 + extraProgressReports
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + timeLeft
        defer { timeLeft = max(.zero, timeLeft - (clock.now - started)) }
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(location: 0, length: text.utf16.count)) {
            result, _, stop in
            if result != nil {
                found = true
                stop.pointee = true
            } else {
                reports += 1
                if reports > allowedReports || clock.now > deadline {
                    abandoned = true
                    stop.pointee = true
                }
            }
        }
        guard !abandoned else {
            throw ExpressionError(
                code: .budgetExceeded,
                message: "regular expression takes too long on this input, or this step's expressions used up the time they share "
                    + "in regular expressions; simplify the pattern or match fewer at once",
                offset: offset)
        }
        return found
    }

    private static func compiled(_ pattern: String, offset: Int) throws(ExpressionError) -> NSRegularExpression {
        if let regex = cache.withLock({ $0[pattern] }) { return regex }
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: pattern)
        } catch {
            throw ExpressionError(code: .invalidRegex, message: "invalid regular expression `\(pattern)`", offset: offset)
        }
        cache.withLock { entries in
            if entries.count >= cacheCapacity { entries.removeAll(keepingCapacity: true) }
            entries[pattern] = regex
        }
        return regex
    }
}
