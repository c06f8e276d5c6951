import ArgumentParser
import WorkflowDSL

extension WorkflowDuration {
    /// Parses a command-line duration: the DSL's spelling (`30d`, `1h30m`, `500ms`) or a bare
    /// number of seconds. For `@Option(transform:)`.
    static func argument(_ text: String) throws -> WorkflowDuration {
        guard let duration = WorkflowDuration(parsing: text) else {
            throw ValidationError("`\(text)` is not a duration: write 30d, 12h, 90m, 45s, 500ms, 1h30m or a number of seconds")
        }
        return duration
    }
}
