public import Foundation
public import WorkflowProtocol

/// Which executions ``ExecutionStore/executions(matching:)`` returns: every filter that is set
/// must hold. Results are ordered newest first by creation time, then by id.
public struct ExecutionQuery: Sendable, Equatable {
    /// Only executions in one of these statuses (`nil`: any).
    public var statuses: Set<ExecutionStatus>?
    /// Only those this user started (`nil`: anyone's).
    public var owner: String?
    /// Only runs of this stored workflow.
    public var workflowID: String?
    /// Only runs of workflows with this name.
    public var workflowName: String?
    /// Only those created at or after this time.
    public var createdAfter: Date?
    /// Only those created before this time.
    public var createdBefore: Date?
    /// At most this many per page. Default 50.
    public var limit: Int
    /// Continue after the last execution of an earlier page.
    public var cursor: ExecutionCursor?

    /// A query; with no arguments, the 50 newest executions.
    public init(
        statuses: Set<ExecutionStatus>? = nil, owner: String? = nil, workflowID: String? = nil, workflowName: String? = nil,
        createdAfter: Date? = nil, createdBefore: Date? = nil, limit: Int = 50, cursor: ExecutionCursor? = nil
    ) {
        self.statuses = statuses
        self.owner = owner
        self.workflowID = workflowID
        self.workflowName = workflowName
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
        self.limit = limit
        self.cursor = cursor
    }

    /// Whether `record` passes every filter and lies after the cursor (for stores that filter in memory).
    public func matches(_ record: ExecutionRecord) -> Bool {
        if let statuses, !statuses.contains(record.status) { return false }
        if let owner, record.owner != owner { return false }
        if let workflowID, record.workflowID != workflowID { return false }
        if let workflowName, record.workflowName != workflowName { return false }
        if let createdAfter, record.createdAt < createdAfter { return false }
        if let createdBefore, record.createdAt >= createdBefore { return false }
        if let cursor, !cursor.precedes(record) { return false }
        return true
    }
}

/// One page of executions and where the next one starts.
public struct ExecutionPage: Sendable, Equatable {
    /// The executions, newest first.
    public var executions: [ExecutionRecord]
    /// Pass as ``ExecutionQuery/cursor`` for the next page; `nil` on the last one.
    public var nextCursor: ExecutionCursor?

    /// A page; `nextCursor` is set when it is full (there may be more).
    public init(executions: [ExecutionRecord], limit: Int) {
        self.executions = executions
        self.nextCursor = executions.count >= limit ? executions.last.map(ExecutionCursor.init(after:)) : nil
    }
}

/// A position in the newest-first order of executions: (creation time in milliseconds, id).
/// Clients see it as an opaque string.
public struct ExecutionCursor: Sendable, Equatable {
    /// Creation time of the last execution seen, in milliseconds since 1970.
    public var createdAtMilliseconds: Int64
    /// Its id.
    public var id: String

    /// The position just after `record`.
    public init(after record: ExecutionRecord) {
        createdAtMilliseconds = Int64((record.createdAt.timeIntervalSince1970 * 1000).rounded())
        id = record.id
    }

    /// Decodes the opaque form; `nil` when it is not one.
    public init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":"), let milliseconds = Int64(text[..<colon]),
              Self.plausibleMilliseconds.contains(milliseconds)  // a forged one could overflow a store's timestamp
        else { return nil }
        createdAtMilliseconds = milliseconds
        id = String(text[text.index(after: colon)...])
    }

    /// Creation times a cursor may carry: 1970 to the end of year 9999.
    private static let plausibleMilliseconds: ClosedRange<Int64> = 0...253_402_300_799_999

    /// The opaque form (base64url of `milliseconds:id`).
    public var encoded: String {
        Data("\(createdAtMilliseconds):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The creation time as a date.
    public var createdAt: Date { Date(timeIntervalSince1970: Double(createdAtMilliseconds) / 1000) }

    /// Whether `record` comes after this position in newest-first order.
    public func precedes(_ record: ExecutionRecord) -> Bool {
        let milliseconds = Int64((record.createdAt.timeIntervalSince1970 * 1000).rounded())
        return milliseconds < createdAtMilliseconds || (milliseconds == createdAtMilliseconds && record.id < id)
    }
}
