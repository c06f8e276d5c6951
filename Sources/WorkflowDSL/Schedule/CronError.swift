/// Why a cron expression was refused: which field, where in the text, and what is wrong.
///
/// ```swift
/// do { _ = try CronExpression(parsing: "61 * * * *") }
/// catch { print(error) }   // minute field at character 1: 61 is out of range 0-59
/// ```
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field the problem is in (`nil` for problems of the whole expression, such as a wrong field count).
    public var field: CronField?
    /// 0-based character offset into the expression where the problem starts.
    public var offset: Int
    /// What is wrong, without the field and position.
    public var reason: String

    public init(field: CronField?, offset: Int, reason: String) {
        self.field = field
        self.offset = offset
        self.reason = reason
    }

    /// `minute field at character 1: 61 is out of range 0-59` (characters counted from 1).
    public var description: String {
        let place = field.map { "\($0.name) field at character \(offset + 1)" } ?? "at character \(offset + 1)"
        return "\(place): \(reason)"
    }
}
