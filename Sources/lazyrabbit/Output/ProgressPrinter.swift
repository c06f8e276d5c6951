import Foundation
import Synchronization
import WorkflowDSL
import WorkflowEngine
import WorkflowJSON
import WorkflowProtocol

/// Writes what happens to people: live progress of executions, diagnostics, problems.
/// Colours only when the stream is a terminal and `NO_COLOR` is not set.
final class ProgressPrinter: Sendable {
    enum Style {
        case plain, dim, success, failure, warning, accent
    }

    private let handle: FileHandle
    private let colored: Bool
    private let lock = Mutex(())

    init(handle: FileHandle, colored: Bool) {
        self.handle = handle
        self.colored = colored
    }

    /// A printer on standard error, coloured when that is a terminal.
    static func standardError(color: Bool = true) -> ProgressPrinter {
        let terminal = isatty(FileHandle.standardError.fileDescriptor) == 1
        let allowed = ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        return ProgressPrinter(handle: .standardError, colored: color && terminal && allowed)
    }

    func line(_ text: String, style: Style = .plain) {
        let code: String? = switch style {
        case .plain: nil
        case .dim: "2"
        case .success: "32"
        case .failure: "31"
        case .warning: "33"
        case .accent: "36"
        }
        let text = Self.printable(text)
        let rendered = colored && code != nil ? "\u{1B}[\(code!)m\(text)\u{1B}[0m" : text
        lock.withLock { _ in handle.write(Data((rendered + "\n").utf8)) }
    }

    func problem(_ text: String) {
        line("error: \(text)", style: .failure)
    }

    func diagnostic(_ diagnostic: Diagnostic, file: String) {
        line(diagnostic.formatted(file: file), style: diagnostic.severity == .error ? .failure : .warning)
    }

    /// One line per interesting transition, indented by thread for branches and iterations.
    func transitions(_ records: [TransitionRecord]) {
        for record in records {
            guard let (text, style) = Self.describe(record) else { continue }
            let thread = record.thread == ExecutionThread.mainID ? "" : "[\(record.thread.dropFirst(ExecutionThread.mainID.count + 1))] "
            // A transition is one line, whatever its data (a model's explanation, an error message) holds.
            line("  \(thread)\(text)".replacingOccurrences(of: "\n", with: " ⏎ "), style: style)
        }
    }

    private static func describe(_ record: TransitionRecord) -> (String, Style)? {
        let details = record.details
        let state = record.fromState ?? record.toState ?? "?"
        func milliseconds(_ key: String) -> String {
            guard let value = details[key]?.doubleValue else { return "" }
            return value >= 1000 ? String(format: "%.2f s", value / 1000) : "\(Int(value)) ms"
        }
        func error(_ value: JSONValue?) -> String {
            guard let value else { return "" }
            return "\(value["error"]?.stringValue ?? "error"): \(value["message"]?.stringValue ?? "")"
        }
        switch record.kind {
        case "state_entered":
            return ("→ \(record.toState ?? "?") (\(details["type"]?.stringValue ?? "state"))", .dim)
        case "state_completed":
            return ("✓ \(state)  \(milliseconds("duration_ms"))", .success)
        case "choice_made":
            let asked = details["no_answer"] == .bool(true) ? "no answer to ai" : "ai"
            let rule = details["condition"]?.stringValue.map { "when \($0)" } ?? details["ai"]?.stringValue.map { "\(asked): \($0)" } ?? "default"
            return ("◇ \(state) → \(record.toState ?? "?")  (\(rule))", .accent)
        case "ai_decided":
            let question = details["question"]?.stringValue ?? "?"
            guard let answer = details["answer"]?.boolValue else {
                let then = record.toState.map { "→ \($0)" } ?? "next rule"
                return ("? \(state) asked “\(question)”: no answer (\(error(details["error"]))), \(then)", .warning)
            }
            let confidence = details["confidence"]?.doubleValue.map { Int($0) } ?? 0
            let verdict = details["matched"] == .bool(true) ? "" : ", next rule"
            let explanation = details["explanation"]?.stringValue.map { " — \($0)" } ?? ""
            return ("? \(state) asked “\(question)”: \(answer ? "yes" : "no"), \(confidence) % sure\(verdict)\(explanation)", .accent)
        case "retry_scheduled":
            let attempt = details["next_attempt"]?.doubleValue.map { Int($0) } ?? 0
            let maximum = details["max_attempts"]?.doubleValue.map { Int($0) } ?? 0
            return ("↻ \(state) failed (\(error(details["error"]))); attempt \(attempt)/\(maximum) in \(milliseconds("delay_ms"))", .warning)
        case "attempt_started":
            return nil
        case "error_caught":
            return ("⤷ \(state) failed (\(error(details["error"]))) → \(record.toState ?? "?")", .warning)
        case "state_failed":
            return ("✗ \(state) failed (\(error(details["error"])))", .failure)
        case "approval_requested":
            return ("⏸ \(state) waits for approval\(details["message"]?.stringValue.map { ": \($0)" } ?? "")", .accent)
        case "approval_decided":
            return ("\(details["approved"] == .bool(true) ? "✓" : "✗") \(state) \(details["approved"] == .bool(true) ? "approved" : "rejected")", .accent)
        case "signal_received", "signal_buffered":
            return ("⚑ signal \(details["signal"]?.stringValue ?? "")", .accent)
        case "signal_refused":
            return ("⚑ signal \(details["signal"]?.stringValue ?? "") refused (\(error(details)))", .warning)
        case "wait_timed_out":
            return ("⌛ \(state) timed out\(record.toState.map { " → \($0)" } ?? "")", .warning)
        default:
            return nil
        }
    }

    /// `text` with what a terminal would act on — control characters other than newline and tab,
    /// and bidirectional overrides — shown as `�`: transitions carry data from services and models,
    /// which must not clear the screen or forge a line.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var kept = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { kept.append(isUnsafe(scalar) ? "\u{FFFD}" : scalar) }
        return String(kept)
    }

    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
